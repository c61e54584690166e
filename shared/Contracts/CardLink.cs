namespace ContextPush.Contracts;

/// <summary>A deep link Dispatcher turns into a URL button ("Open in Salesforce").</summary>
public sealed record CardLink(string Label, string Url);
