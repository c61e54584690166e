using System.Text.Json;
using ContextPush.PushFiles;
using Json.Schema;

namespace ContextPush.UnitTests;

/// <summary>The schema editors use, checked against the loader the Detector uses.</summary>
public class PushSchemaTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(PushSchema.Text());

    private const string Good = """
        id: churn-risk
        cohort: SELECT id AS account_id, churn_probability FROM accounts
        key: [account_id]
        metrics:
          - name: churn_probability
            tolerance: 0.05
            format: percent
            decimals: 1
        schedule: "0 8 * * 1-5"
        time_zone: Europe/Berlin
        first_run: send
        context:
          owner: warehouse
          ticket_count: 3
          slack_lookup: false
        throttle:
          frequency: 7d
          owner_budget: 5
          digest_at: "17:00"
          priority:
            mode: peers
            threshold: 2.5
        delivery:
          channel: slack
          slack:
            channel: "#cs-alerts"
        """;

    public static TheoryData<string, string> Bad => new()
    {
        { Good.Replace("first_run: send", "first_run: always"), "first_run" },
        { Good.Replace("time_zone: Europe/Berlin", "time_zone: Europe/Berlin\nowner: ann"), "owner" },
        { Good.Replace("frequency: 7d", "frequency: 7 days"), "throttle.frequency" },
        { Good.Replace("mode: peers", "mode: loudest"), "throttle.priority.mode" },
        { Good.Replace("owner_budget: 5", "owner_budget: 0"), "throttle.owner_budget" },
        { Good.Replace("digest_at: \"17:00\"", "digest_at: \"5pm\""), "throttle.digest_at" },
        { Good.Replace("channel: slack\n", "channel: pager\n"), "delivery.channel" },
        { Good.Replace("channel: \"#cs-alerts\"", "channel: cs alerts"), "delivery.slack.channel" },
        { Good.Replace("owner: warehouse", "owner: crm"), "context.owner" },
        { Good.Replace("ticket_count: 3", "ticket_count: 50"), "context.ticket_count" },
        { Good.Replace("ticket_count: 3", "ticket_count: 3\n  color: blue"), "context.color" },
        { Good.Replace("format: percent", "format: percentage"), "metrics[0].format" },
        { Good.Replace("decimals: 1", "decimals: 9"), "metrics[0].decimals" },
        { Good.Replace("tolerance: 0.05", "tolerance: -1"), "metrics[0].tolerance" },
        { Good.Replace("id: churn-risk", "id: Churn Risk"), "id" },
        { Good.Replace("key: [account_id]", "key: []"), "key" },
        { Good.Replace("id: churn-risk\n", ""), "id" },
    };

    [Fact]
    public void The_schema_in_the_repository_is_the_one_the_loader_generates()
    {
        var file = Path.Combine(CardTemplateTests.RepositoryRoot(), "pushes", "push.schema.json");

        Assert.True(File.ReadAllText(file) == PushSchema.Text(),
            "pushes/push.schema.json is out of date: run 'dotnet run --project tools/ContextPush.Cli -- schema -o pushes/push.schema.json'");
    }

    [Fact]
    public void The_good_example_passes_both()
    {
        Assert.Null(PushLoader.Load("good.yaml", Good).Error);
        AssertSchema(Good, valid: true);
    }

    [Theory]
    [MemberData(nameof(Bad))]
    public void A_bad_file_fails_the_schema_the_way_it_fails_the_loader(string yaml, string field)
    {
        var (_, error) = PushLoader.Load("bad.yaml", yaml);

        Assert.NotNull(error);
        Assert.Equal(field, error.Field);
        AssertSchema(yaml, valid: false);
    }

    [Fact]
    public void Every_push_in_the_repository_passes_both_and_names_the_schema_for_editors()
    {
        var root = CardTemplateTests.RepositoryRoot();
        var files = Directory.EnumerateFiles(Path.Combine(root, "pushes"), "*.yaml")
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "bench"), "*.yaml", SearchOption.AllDirectories))
            .ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var yaml = File.ReadAllText(file);
            Assert.StartsWith("# yaml-language-server: $schema=", yaml);
            var schemaPath = Path.Combine(Path.GetDirectoryName(file)!, yaml.Split('\n')[0].Split("$schema=")[1].Trim());
            Assert.True(File.Exists(schemaPath), $"{file} names {schemaPath}, which does not exist");
            Assert.Null(PushLoader.Load(file, yaml).Error);
            AssertSchema(yaml, valid: true, file);
        }
    }

    private static void AssertSchema(string yaml, bool valid, string what = "the file")
    {
        var json = JsonSerializer.SerializeToElement(YamlAsJson.Parse(yaml));
        var result = Schema.Evaluate(json, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid == valid, valid
            ? $"{what} fails the schema: {string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")))}"
            : $"{what} passes the schema, but the loader refuses it");
    }
}
