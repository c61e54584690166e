namespace ContextPush.Detector.Pushes;

/// <summary>Why a push file was skipped: the file, the field at fault and how to fix it.</summary>
public sealed record PushLoadError(string File, string Field, string Message)
{
    public override string ToString() => $"{File}: {Field}: {Message}";
}
