using System.Runtime.CompilerServices;

namespace ContextPush.AppHost.Servers;

/// <summary>
/// Lets code outside the AppHost (the tests' shared servers, the benchmarks) build an application
/// model of its own that Aspire runs with this AppHost's orchestrator. Aspire.Hosting.Testing finds
/// the orchestrator through the first assembly on the call stack that carries the AppHost SDK's
/// metadata, so the model is created from inside a method of this assembly.
/// </summary>
public static class ThisAppHost
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Orchestrates<T>(Func<T> createModel) => createModel();
}
