using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace ContextPush.Bench.Pipeline;

internal static class ResourceProcess
{
    /// <summary>The process the orchestrator launched for a resource (or one replica of it).</summary>
    public static int ProcessIdOf(this ResourceNotificationService notifications, string resource) =>
        notifications.TryGetCurrentState(resource, out var state)
            ? Convert.ToInt32(state.Snapshot.Properties.First(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"the orchestrator knows no resource {resource}");
}
