namespace ContextPush.Assembler.Sources;

/// <summary>A source answered, but with an error of its own (Slack's ok=false), which retrying will not change.</summary>
public sealed class SourceRefusedException(string source, string error) : Exception($"{source} refused ({error})");
