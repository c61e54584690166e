using ContextPush.ComponentTests.Consumers;
using ContextPush.Dispatcher.Delivery;
using Microsoft.Extensions.Configuration;

namespace ContextPush.ComponentTests.Dispatcher;

/// <summary>The Dispatcher under the harness, with a CRM's settings, signed links, and redeliveries quick enough for a test.</summary>
public static class DispatcherWithCrm
{
    public static Task<ServiceUnderHarness> StartAsync(ServersFixture fixture, Dictionary<string, string?> crmSettings) =>
        ServiceUnderHarness.StartAsync(fixture, "ContextPush.Dispatcher", b =>
        {
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(crmSettings)
            {
                ["Dispatcher:LinksBaseUrl"] = "https://contextpush.example.com/",
                ["ActionLinks:Key"] = "component-test-link-key-0123456789abcdef",
                ["Dispatcher:Redelivery:FirstDelay"] = "00:00:00.300",
                ["Dispatcher:Redelivery:PollInterval"] = "00:00:00.100",
            });
            b.AddDispatching();
        }, "dispatcherdb");
}
