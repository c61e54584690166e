namespace ContextPush.Wording;

/// <summary>A template's output: the first non-empty line is the headline, the others the context lines.</summary>
public sealed record RenderedCard(string Headline, IReadOnlyList<string> Lines);
