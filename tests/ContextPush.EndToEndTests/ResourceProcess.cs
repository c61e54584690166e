using System.Globalization;
using Aspire.Hosting.ApplicationModel;

namespace ContextPush.EndToEndTests;

public static class ResourceProcess
{
    /// <summary>The OS process id of a resource (or one replica of it), from the orchestrator's own view of it.</summary>
    public static int ProcessIdOf(this ResourceNotificationService notifications, string resource)
    {
        Assert.True(notifications.TryGetCurrentState(resource, out var state), $"no state for {resource}");
        return Convert.ToInt32(state.Snapshot.Properties.First(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);
    }
}
