using System.Net;
using ContextPush.Contracts;
using ContextPush.EndToEndTests.Browser;
using ContextPush.Testing.Fakes;

namespace ContextPush.EndToEndTests.Callbacks;

/// <summary>The adoption page as a person opens it from the dashboard's link, in Chromium.</summary>
[Collection(DefaultSystem.Name)]
public sealed class AdoptionPageTests(SharedContextPush shared)
{
    [Fact]
    public async Task The_page_shows_each_push_with_its_rate_and_time_to_first_action()
    {
        var system = shared.System;
        var (_, value, delivered) = await shared.DeliverCardAsync();
        using (var click = SlackInteractionRequest.BlockActions(shared.Interactions, RunningContextPush.SigningSecret, "U0ADOPTER", "mark_reviewed", value, "1700000020.000001"))
        using (var answer = await system.Http.SendAsync(click, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        await shared.Observer.WaitForAsync<CardActioned>(a => a.DeltaId == delivered.DeltaId, SharedContextPush.Patience);
        var screenshot = Path.Combine(AppContext.BaseDirectory, "test-artifacts", "adoption-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var page = await BrowserScript.RunAsync("dashboard-page.mjs", system.Url("callbacks").ToString(), "-", "/adoption/page", screenshot,
            string.Join('|', "Adoption", delivered.PushId, "Acted-on rate by week", "Time to first action"));

        Assert.Contains("reviewed", page);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot of the adoption page is empty");
    }
}
