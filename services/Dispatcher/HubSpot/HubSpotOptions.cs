using System.ComponentModel.DataAnnotations;

namespace ContextPush.Dispatcher.HubSpot;

/// <summary>
/// The private app the Dispatcher writes tasks with: its token from the environment or a secret store
/// (<c>Dispatcher__HubSpot__AccessToken</c>), never a file.
/// </summary>
public sealed class HubSpotOptions
{
    /// <summary>HubSpot's API root; tests point it at a local fake.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.hubapi.com/");

    /// <summary>The private app's access token (scopes crm.objects.contacts.read and crm.objects.contacts.write, which tasks need, and crm.objects.companies.read).</summary>
    public string? AccessToken { get; set; }

    /// <summary>The task property (unique values) that holds the DeltaId, so a retry updates the task it created (docs: the one-time setup).</summary>
    public string TaskIdProperty { get; set; } = "contextpush_delta_id";

    /// <summary>
    /// The pace of the Dispatcher's calls, shared by every replica; a private app may make 100 (Free,
    /// Starter) to 190 (Pro, Enterprise) requests per 10 seconds, the search endpoint 5 per second.
    /// </summary>
    [Range(0.1, 100)]
    public double RequestsPerSecond { get; set; } = 4;

    /// <summary>How often tasks completed in HubSpot are read back, to count the owner's completions as reviews.</summary>
    public TimeSpan CompletionPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool Enabled => !string.IsNullOrWhiteSpace(AccessToken);
}
