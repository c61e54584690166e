using ContextPush.AppHost;
using ContextPush.AppHost.Hosting;

var builder = DistributedApplicationFactory.CreateBuilder(args);
AppModel.Declare(builder);
await using var app = builder.Build();
await app.RunAsync();

namespace ContextPush.AppHost
{
    /// <summary>ContextPush's resources, top to bottom. The end-to-end tests declare exactly this model too.</summary>
    public static class AppModel
    {
        public static void Declare(DistributedApplicationBuilder builder)
        {
            var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin();
            var cache = builder.AddRedis("cache");
            var postgres = builder.AddPostgres("postgres");
            var warehouse = postgres.AddDatabase("warehouse").WithDemoSeed(builder.Options.SeedAccounts);
            var throttlerDb = postgres.AddDatabase("throttlerdb");
            var dispatcherDb = postgres.AddDatabase("dispatcherdb");
            var callbacksDb = postgres.AddDatabase("callbacksdb");

            // Signs the action links of Teams cards and emails; a fresh secret per local run, as Aspire's generated parameters are.
            var actionLinkKey = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

            // Consumers start before the Detector, so their queues exist before the first delta is published.
            var callbacks = builder.AddProject("callbacks", "ContextPush.Callbacks")
                .WithReference(messaging).WithReference(callbacksDb)
                .WithEnvironment("ActionLinks__Key", actionLinkKey)
                .WaitFor(messaging).WaitFor(callbacksDb)
                .WithHttpHealthCheck("/health");

            var dispatcher = builder.AddProject("dispatcher", "ContextPush.Dispatcher")
                .WithReference(messaging).WithReference(dispatcherDb).WithReference(callbacks)
                .WithEnvironment("ActionLinks__Key", actionLinkKey)
                .WaitFor(messaging).WaitFor(dispatcherDb).WaitFor(callbacks)
                .WithHttpHealthCheck("/health");

            var throttler = builder.AddProject("throttler", "ContextPush.Throttler")
                .WithReference(messaging).WithReference(cache).WithReference(throttlerDb).WithReference(warehouse)
                .WaitFor(messaging).WaitFor(cache).WaitFor(dispatcher)
                .WithHttpHealthCheck("/health");

            var assembler = builder.AddProject("assembler", "ContextPush.Assembler")
                .WithReference(messaging).WithReference(cache).WithReference(warehouse)
                .WaitFor(messaging).WaitFor(warehouse).WaitFor(throttler)
                .WithHttpHealthCheck("/health");

            builder.AddProject("detector", "ContextPush.Detector")
                .WithReference(messaging).WithReference(warehouse)
                .WithEnvironment("Detector__PushesPath", Path.Combine(ProjectLocator.RepositoryRoot, "pushes"))
                .WaitFor(messaging).WaitFor(warehouse).WaitFor(assembler)
                .WithHttpHealthCheck("/health");
        }
    }
}
