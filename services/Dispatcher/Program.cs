using ContextPush.Dispatcher;
using ContextPush.Dispatcher.Consumers;
using ContextPush.Dispatcher.Delivery;
using ContextPush.Dispatcher.Slack;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("dispatcherdb");
builder.Services.AddOptions<DispatcherOptions>().BindConfiguration(DispatcherOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DeliveryStore>();
// The schema must exist before the bus delivers the first message.
builder.Services.AddHostedService(sp => sp.GetRequiredService<DeliveryStore>());
builder.Services.AddSlack();
builder.Services.AddSingleton<ConsoleChannel>();
builder.Services.AddSingleton<CardDispatcher>();
builder.Services.AddSingleton<CardUpdater>();
builder.AddMessaging(bus =>
{
    bus.AddConsumer<DeliveryApprovedConsumer>();
    bus.AddConsumer<CardActionedConsumer>();
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
