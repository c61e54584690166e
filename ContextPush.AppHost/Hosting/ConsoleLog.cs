namespace ContextPush.AppHost.Hosting;

/// <summary>Every resource's console output in one stream, each line prefixed with the resource's name.</summary>
public sealed class ConsoleLog(TextWriter output)
{
    private readonly Lock _gate = new();

    public void Write(string resource, string line)
    {
        lock (_gate)
        {
            output.WriteLine($"[{resource}] {line}");
        }
    }
}
