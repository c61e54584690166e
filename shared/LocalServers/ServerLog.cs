namespace ContextPush.LocalServers;

/// <summary>Where server start-up and shutdown progress is reported (console in the AppHost, test output in tests).</summary>
public delegate void ServerLog(string message);
