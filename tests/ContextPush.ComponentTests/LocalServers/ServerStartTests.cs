using Aspire.Hosting;
using ContextPush.Testing.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContextPush.ComponentTests.LocalServers;

/// <summary>A test server that does not start is reported in its own words, which is all a CI run's reader gets.</summary>
public sealed class ServerStartTests
{
    [Fact]
    public async Task A_server_that_exits_while_starting_is_reported_with_its_state_exit_code_and_last_words()
    {
        var ct = TestContext.Current.CancellationToken;
        var builder = TestingBuilderExtensions.CreateModel();
        builder.Services.AddHealthChecks().AddCheck("broken-server-ready", () => HealthCheckResult.Unhealthy("not yet"));
        builder.AddExecutable("broken-server", "/bin/sh", "/", "-c", "echo 'listen tcp 127.0.0.1:1: address already in use' >&2; exit 3")
            .WithHealthCheck("broken-server-ready");
        await using var app = builder.Build();
        await app.StartAsync(ct);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerStart.WaitHealthyAsync(app, ["broken-server"], ct));

        Assert.Contains("'broken-server' did not start", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("address already in use", error.Message, StringComparison.Ordinal);
        await app.StopAsync(ct);
    }
}
