using Npgsql;

namespace ContextPush.ComponentTests.Cli;

/// <summary><c>contextpush validate</c> over files, and against a real warehouse.</summary>
public sealed class ValidateVerbTests(ServersFixture fixture) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("contextpush-cli-").FullName;
    private string _warehouse = "";

    private const string Good = """
        id: good
        cohort: SELECT id AS account_id, churn_probability FROM accounts
        key: [account_id]
        metrics:
          - name: churn_probability
            format: percent
        schedule: "0 8 * * 1-5"
        """;

    public async ValueTask InitializeAsync()
    {
        var (prefix, _) = fixture.NextIsolation("cli");
        _warehouse = await fixture.Servers.CreateDatabaseAsync(prefix + "wh");
        await using var source = NpgsqlDataSource.Create(_warehouse);
        await using var create = source.CreateCommand(
            "CREATE TABLE accounts (id text PRIMARY KEY, name text, churn_probability numeric); INSERT INTO accounts VALUES ('a1', 'Acme', 0.9)");
        await create.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private string Write(string name, string yaml)
    {
        var file = Path.Combine(_folder, name);
        File.WriteAllText(file, yaml);
        return file;
    }

    [Fact]
    public async Task Good_files_exit_0_and_say_so()
    {
        Write("good.yaml", Good);

        var outcome = await Contextpush.RunAsync("validate", _folder);

        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("1 push file(s): 1 valid, 0 invalid", outcome.Output);
    }

    [Fact]
    public async Task A_bad_file_exits_1_naming_file_line_field_and_fix()
    {
        var bad = Write("bad.yaml", Good + "\nthrottle:\n  frequency: 7 days\n");

        var outcome = await Contextpush.RunAsync("validate", bad);

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        Assert.Contains($"{bad}:9: throttle.frequency: '7 days' is not a duration; write e.g. 7d", outcome.Output);
    }

    [Fact]
    public async Task Json_output_lists_every_file_with_its_problem()
    {
        var good = Write("a.yaml", Good);
        var bad = Write("b.yaml", Good.Replace("format: percent", "format: ratio"));

        var outcome = await Contextpush.RunAsync("validate", good, bad, "--json");

        Assert.Equal(1, outcome.ExitCode);
        var json = outcome.Json;
        Assert.False(json.GetProperty("valid").GetBoolean());
        var files = json.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal([good, bad], files.Select(f => f.GetProperty("file").GetString()));
        Assert.True(files[0].GetProperty("valid").GetBoolean());
        var problem = files[1].GetProperty("problem");
        Assert.Equal("metrics[0].format", problem.GetProperty("field").GetString());
        Assert.Equal(6, problem.GetProperty("line").GetInt32());
        Assert.Contains("use one of percent, number, integer, currency", problem.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_path_or_unknown_option_is_a_usage_error()
    {
        Assert.Equal(2, (await Contextpush.RunAsync("validate", Path.Combine(_folder, "nope.yaml"))).ExitCode);
        Assert.Equal(2, (await Contextpush.RunAsync("validate", _folder, "--warehose", "x")).ExitCode);
        Assert.Equal(2, (await Contextpush.RunAsync("frobnicate")).ExitCode);
        Assert.Equal(2, (await Contextpush.RunAsync("validate", _folder, "--warehouse", "Hots=nowhere")).ExitCode);
    }

    [Fact]
    public async Task Every_verb_has_help()
    {
        foreach (var verb in new[] { "validate", "schema", "preview", "run", "replay" })
        {
            var outcome = await Contextpush.RunAsync(verb, "--help");
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
            Assert.Contains("Usage:", outcome.Output);
        }
    }

    [Fact]
    public async Task With_a_warehouse_the_cohort_is_checked_there_without_reading_rows()
    {
        Write("good.yaml", Good);
        Write("missing-column.yaml", Good.Replace("id: good", "id: missing-column").Replace("name: churn_probability", "name: usage_drop"));
        Write("text-metric.yaml", Good.Replace("id: good", "id: text-metric").Replace("churn_probability FROM", "churn_probability, name FROM")
            .Replace("name: churn_probability", "name: name"));

        var outcome = await Contextpush.RunAsync("validate", _folder, "--warehouse", _warehouse, "--json");

        Assert.True(outcome.ExitCode == 1, outcome.ToString());
        var files = outcome.Json.GetProperty("files").EnumerateArray().ToDictionary(f => Path.GetFileName(f.GetProperty("file").GetString()!));
        Assert.True(files["good.yaml"].GetProperty("valid").GetBoolean());
        Assert.Contains("column 'usage_drop' is not returned by the cohort query", files["missing-column.yaml"].GetProperty("problem").GetProperty("message").GetString());
        Assert.Equal(5, files["missing-column.yaml"].GetProperty("problem").GetProperty("line").GetInt32());
        Assert.Contains("a metric must be numeric", files["text-metric.yaml"].GetProperty("problem").GetProperty("message").GetString());
        Assert.True(outcome.Json.GetProperty("checkedAgainstWarehouse").GetBoolean());
    }

    [Fact]
    public async Task A_warehouse_that_cannot_be_reached_exits_3()
    {
        Write("good.yaml", Good);

        var outcome = await Contextpush.RunAsync("validate", _folder, "--warehouse", "Host=127.0.0.1;Port=1;Username=x;Password=y;Timeout=2");

        Assert.True(outcome.ExitCode == 3, outcome.ToString());
        Assert.Contains("the warehouse cannot be reached", outcome.Errors);
    }

    [Fact]
    public async Task The_schema_verb_prints_the_repository_schema()
    {
        var outcome = await Contextpush.RunAsync("schema");

        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "pushes", "push.schema.json")), outcome.Output);
    }
}
