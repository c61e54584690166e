namespace ContextPush.Assembler.Sources;

/// <summary>A push asks for a source the Assembler has no credentials for; the delta goes on without it.</summary>
public sealed class SourceNotConfiguredException(string source, string setting)
    : Exception($"{source} is not configured (set {setting})");
