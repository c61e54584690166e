using ContextPush.PushFiles;
using ContextPush.Detector.Pushes;

namespace ContextPush.ComponentTests.Detector;

/// <summary>Mistakes only the warehouse can reveal, each reported with its file, field and fix.</summary>
public sealed class PushValidatorTests(ServersFixture fixture) : IAsyncLifetime
{
    private DetectorTestBed _bed = null!;

    public async ValueTask InitializeAsync() => _bed = await DetectorTestBed.StartAsync(fixture);

    public ValueTask DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task A_valid_push_passes() =>
        Assert.Null(await ValidateAsync(DetectorTestBed.Push));

    [Theory]
    [InlineData("FROM accounts WHERE", "FROM acounts WHERE", "cohort", "relation \"acounts\" does not exist")]
    [InlineData("FROM accounts WHERE", "FROM accounts WERE", "cohort", "syntax error")]
    [InlineData("key: [account_id]", "key: [customer_id]", "key", "column 'customer_id' is not returned by the cohort query (it returns account_id, churn_probability, usage_drop)")]
    [InlineData("  - name: usage_drop", "  - name: usage_dropped", "metrics[1].name", "column 'usage_dropped' is not returned")]
    [InlineData("churn_probability, usage_drop\n", "churn_probability, name AS usage_drop\n", "metrics[1].name", "column 'usage_drop' is text; a metric must be numeric")]
    [InlineData("schedule:", "warehouse: crm_copy\nschedule:", "warehouse", "set ConnectionStrings__crm_copy")]
    public async Task Each_warehouse_mistake_names_the_field_and_the_fix(string replace, string with, string field, string message)
    {
        var yaml = DetectorTestBed.Push.Replace(replace, with);
        Assert.NotEqual(DetectorTestBed.Push, yaml);

        var error = await ValidateAsync(yaml);

        Assert.NotNull(error);
        Assert.Equal("churn-risk.yaml", error.File);
        Assert.Equal(field, error.Field);
        Assert.Contains(message, error.Message);
    }

    private Task<PushLoadError?> ValidateAsync(string yaml) =>
        new PushValidator(_bed.Sources).ValidateAsync(DetectorTestBed.Load(yaml), TestContext.Current.CancellationToken);
}
