using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ContextPush.AppHost;
using ContextPush.AppHost.Servers;

namespace ContextPush.EndToEndTests.AppHost;

/// <summary>The AppHost's own command line, and what it makes of the model (built, not started).</summary>
public class AppHostOptionsTests
{
    [Fact]
    public void Options_are_read_and_anything_else_of_the_form_key_value_goes_to_Aspire()
    {
        var options = AppHostOptions.Parse(["--accounts", "500", "--replicas", "assembler=3", "--replicas", "dispatcher=2", "--Aspire:Key=value"]);

        Assert.Equal(500, options.SeedAccounts);
        Assert.Equal(3, options.ReplicasOf("assembler"));
        Assert.Equal(2, options.ReplicasOf("dispatcher"));
        Assert.Equal(1, options.ReplicasOf("detector"));
        Assert.Equal(["--Aspire:Key=value"], options.AspireArgs);
        Assert.Null(AppHostOptions.Parse(["--no-seed"]).SeedAccounts);
        Assert.Equal(120, AppHostOptions.Parse([]).SeedAccounts);
    }

    [Theory]
    [InlineData("--acounts", "5")]
    [InlineData("--replicas", "assembler")]
    [InlineData("--accounts", "many")]
    public void A_mistyped_or_incomplete_option_is_refused_with_the_list_of_options(string option, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => AppHostOptions.Parse([option, value]));

        Assert.Contains($"'{option}'", error.Message);
        Assert.Contains("--replicas <service>=N", error.Message);
    }

    [Fact]
    public async Task Replicas_from_the_command_line_reach_the_model_and_given_connection_strings_replace_the_local_servers()
    {
        await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ContextPush_AppHost>(
            ["--replicas", "assembler=2", "--ConnectionStrings:messaging=amqp://guest:guest@127.0.0.1:5672", "--ConnectionStrings:postgres=Host=127.0.0.1",
             "--ConnectionStrings:cache=127.0.0.1:6379"],
            TestContext.Current.CancellationToken);

        var assembler = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "assembler");
        Assert.Equal(2, assembler.Annotations.OfType<ReplicaAnnotation>().Single().Replicas);
        Assert.DoesNotContain(builder.Resources, r => r is LocalRabbitMQResource or LocalPostgresResource or LocalRedisResource
                                                      || r.Name.EndsWith("-epmd", StringComparison.Ordinal)); // no server of its own
        Assert.Equal(["callbacksdb", "detectordb", "dispatcherdb", "throttlerdb", "warehouse"],
            builder.Resources.OfType<PostgresDatabaseResource>().Select(d => d.Name).Order());
    }
}
