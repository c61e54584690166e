// One set of servers for every test of this assembly; tests keep apart by vhost, database and prefix.
[assembly: AssemblyFixture(typeof(ServersFixture))]
