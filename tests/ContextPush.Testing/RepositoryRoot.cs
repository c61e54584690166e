namespace ContextPush.Testing;

/// <summary>The checkout the tests were built from: the tests run from its artifacts folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string Project(string service) => System.IO.Path.Combine(Path, "services", service, $"ContextPush.{service}.csproj");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ContextPush.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ContextPush.sln above {AppContext.BaseDirectory}.");
    }
}
