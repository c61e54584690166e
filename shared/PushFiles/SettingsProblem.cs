namespace ContextPush.PushFiles;

/// <summary>What is wrong with one setting of a push file: the field as the file writes it, and the fix.</summary>
public sealed record SettingsProblem(string Field, string Message);
