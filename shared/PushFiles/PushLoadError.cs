namespace ContextPush.PushFiles;

/// <summary>Why a push file was skipped: the file, the line and field at fault, and how to fix it.</summary>
public sealed record PushLoadError(string File, string Field, string Message)
{
    /// <summary>The field's line in the file (1-based), where it can be found.</summary>
    public int? Line { get; init; }

    public override string ToString() => Line is { } line ? $"{File}:{line}: {Field}: {Message}" : $"{File}: {Field}: {Message}";
}
