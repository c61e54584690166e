namespace ContextPush.Wording;

/// <summary>A template that does not parse, with the file and line to fix.</summary>
public sealed class CardTemplateException(string message) : Exception(message);
