using ContextPush.Dispatcher;
using ContextPush.Dispatcher.Consumers;
using ContextPush.Dispatcher.Delivery;
using ContextPush.Dispatcher.Email;
using ContextPush.Dispatcher.Preview;
using ContextPush.Dispatcher.Redelivery;
using ContextPush.Dispatcher.Slack;
using ContextPush.Dispatcher.Teams;
using ContextPush.ServiceDefaults.Links;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("dispatcherdb", configureDataSourceBuilder: NpgsqlPerDelta.Configure);
// Only the pace lives in Redis, and without it each replica paces on its own: no health check, so a
// Redis outage does not make the Dispatcher unready.
builder.AddRedisClient("cache", settings => settings.DisableHealthChecks = true, redis => redis.AbortOnConnectFail = false);
builder.Services.AddOptions<DispatcherOptions>().BindConfiguration(DispatcherOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DeliveryStore>();
builder.Services.AddNpgsqlSchema(DeliveryStore.Schema);
builder.Services.AddSlack();
builder.Services.AddSingleton<ConsoleChannel>();
builder.Services.AddSingleton<TeamsChannel>();
builder.Services.AddSingleton<EmailChannel>();
builder.Services.AddHttpClient(TeamsChannel.HttpClientName);
builder.Services.AddOptions<ActionLinkOptions>().BindConfiguration(ActionLinkOptions.SectionName);
builder.Services.AddSingleton<ActionLinkSigner>();
builder.Services.AddSingleton<ActionLinks>();
builder.Services.AddSingleton<CardDispatcher>();
builder.Services.AddSingleton<CardUpdater>();
builder.Services.AddSingleton<DestinationPacer>();
builder.Services.AddSingleton<LocalPacer>();
builder.Services.AddSingleton<RedeliveryStore>();
builder.Services.AddNpgsqlSchema(RedeliveryStore.Schema);
builder.Services.AddHostedService<RedeliverySweeper>();
builder.AddMessaging(bus =>
{
    bus.AddConsumer<DeliveryApprovedConsumer>();
    bus.AddConsumer<CardActionedConsumer>();
    bus.AddConsumer<DeliveryApprovedFaultConsumer>();
    bus.AddConsumer<DigestApprovedConsumer>();
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDeliveryEndpoints();
app.MapRecentCards();
app.Run();

public partial class Program;
