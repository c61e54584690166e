namespace ContextPush.AppHost.Hosting;

/// <summary>Every resource's console output in one stream, each line prefixed with the resource's name.</summary>
public sealed class ConsoleLog(TextWriter output)
{
    private readonly Lock _gate = new();

    public void Write(string resource, string line)
    {
        lock (_gate)
        {
            try
            {
                output.WriteLine($"[{resource}] {line}");
            }
            catch (IOException)
            {
                // The terminal or pipe is gone (Ctrl+C reached it too): output is best effort, stopping everything is not.
            }
        }
    }
}
