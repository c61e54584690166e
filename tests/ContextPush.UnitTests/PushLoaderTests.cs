using ContextPush.PushFiles;

namespace ContextPush.UnitTests;

public class PushLoaderTests
{
    private const string Valid = """
        id: churn-risk
        description: Accounts likely to churn
        cohort: |
          SELECT id AS account_id, churn_probability
          FROM accounts WHERE churn_probability > 0.8;
        key: [account_id]
        metrics:
          - name: churn_probability
            tolerance: 0.05
        schedule: "0 8 * * 1-5"
        time_zone: Europe/Berlin
        throttle:
          frequency: 3d
        delivery:
          slack:
            channel: "#cs-alerts"
        """;

    [Fact]
    public void A_valid_file_loads_with_its_sections_flattened_for_later_stages()
    {
        var (push, error) = PushLoader.Load("churn.yaml", Valid);

        Assert.Null(error);
        Assert.NotNull(push);
        Assert.Equal("churn-risk", push.Id);
        Assert.Equal("churn-risk", push.Topic);
        Assert.Equal(["account_id"], push.Key);
        Assert.Equal(0.05m, Assert.Single(push.Metrics).Tolerance);
        Assert.Equal("Europe/Berlin", push.TimeZone.Id);
        Assert.False(push.SendOnFirstRun);
        Assert.EndsWith("churn_probability > 0.8", push.CohortSql);
        Assert.Equal("3d", push.Settings["throttle:frequency"]);
        Assert.Equal("#cs-alerts", push.Settings["delivery:slack:channel"]);
    }

    [Theory]
    [InlineData("schedule: \"0 8 * * 1-5\"", "schedule: \"every morning\"", "schedule", "not a valid cron expression")]
    [InlineData("key: [account_id]", "key: []", "key", "required")]
    [InlineData("key: [account_id]", "key: [\"account id\"]", "key", "not a column name")]
    [InlineData("time_zone: Europe/Berlin", "time_zone: Mars/Olympus", "time_zone", "not a known time zone")]
    [InlineData("id: churn-risk", "id: Churn Risk", "id", "lowercase")]
    [InlineData("    tolerance: 0.05", "    tolerance: -1", "metrics[0].tolerance", "zero or more")]
    [InlineData("description: Accounts likely to churn", "descripton: typo", "descripton", "unknown field")]
    public void Each_mistake_is_reported_with_its_file_field_and_fix(string replace, string with, string field, string message)
    {
        var (push, error) = PushLoader.Load("pushes/churn.yaml", Valid.Replace(replace, with));

        Assert.Null(push);
        Assert.NotNull(error);
        Assert.Equal("pushes/churn.yaml", error.File);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_broken_file_is_skipped_and_the_others_still_load()
    {
        var folder = Directory.CreateTempSubdirectory("pushes-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a-good.yaml"), Valid);
            File.WriteAllText(Path.Combine(folder, "b-broken.yaml"), Valid.Replace("id: churn-risk", "id: broken").Replace("key: [account_id]", ""));

            var (pushes, errors) = PushLoader.LoadFolder(folder);

            Assert.Equal("churn-risk", Assert.Single(pushes).Id);
            Assert.Equal("key", Assert.Single(errors).Field);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("pushes")]
    [InlineData("bench/ContextPush.Bench.Detection")]
    public void The_push_files_the_repository_ships_load_without_errors(string folder)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ContextPush.sln")))
        {
            root = root.Parent!;
        }

        var (pushes, errors) = PushLoader.LoadFolder(Path.Combine(root.FullName, folder));

        Assert.Empty(errors);
        Assert.NotEmpty(pushes);
    }

    [Theory]
    [InlineData("frequency: 3d", "frequency: 3 days", "throttle.frequency", 13)]
    [InlineData("tolerance: 0.05", "tolerance: -1", "metrics[0].tolerance", 9)]
    [InlineData("time_zone: Europe/Berlin", "time_zone: Mars/Olympus", "time_zone", 11)]
    [InlineData("channel: \"#cs-alerts\"", "channel: \"#cs-alerts\"\n    colour: red", "delivery.slack.colour", 17)]
    public void An_error_names_the_line_an_editor_can_jump_to(string from, string to, string field, int line)
    {
        var (_, error) = PushLoader.Load("churn.yaml", Valid.Replace(from, to));

        Assert.Equal(field, error!.Field);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"churn.yaml:{line}: {field}: ", error.ToString());
    }
}
