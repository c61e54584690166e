using System.Diagnostics;
using ContextPush.LocalServers;

namespace ContextPush.IntegrationTests.Fakes;

/// <summary>Debian's Chromium, headless, as a user's browser: the page's DOM after it loaded, or a screenshot of it.</summary>
public static class HeadlessChromium
{
    public static async Task<string> DomAsync(Uri url) => await RunAsync("--dump-dom", url.ToString());

    public static async Task ScreenshotAsync(Uri url, string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await RunAsync($"--screenshot={file}", "--window-size=1400,1000", "--hide-scrollbars", url.ToString());
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var ct = TestContext.Current.CancellationToken;
        await ServerBinaries.EnsureChromiumAsync(m => Console.WriteLine($"[chromium] {m}"), ct);
        var profile = Directory.CreateTempSubdirectory("chromium-profile-").FullName;
        try
        {
            var start = new ProcessStartInfo(ServerBinaries.Chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}", .. arguments])
            {
                start.ArgumentList.Add(argument);
            }

            using var chromium = Process.Start(start)!;
            var output = chromium.StandardOutput.ReadToEndAsync(ct);
            var errors = chromium.StandardError.ReadToEndAsync(ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await chromium.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                chromium.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium {string.Join(' ', arguments)} did not finish: {await errors}");
            }

            return chromium.ExitCode == 0 ? await output : throw new InvalidOperationException($"chromium exited {chromium.ExitCode}: {await errors}");
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
