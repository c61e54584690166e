using ContextPush.Callbacks;
using ContextPush.Callbacks.Actions;
using ContextPush.Callbacks.Links;
using ContextPush.Callbacks.Slack;
using ContextPush.ServiceDefaults.Links;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("callbacksdb", configureDataSourceBuilder: NpgsqlPerDelta.Configure);
builder.Services.AddOptions<CallbacksOptions>().BindConfiguration(CallbacksOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ActionStore>();
builder.Services.AddNpgsqlSchema(ActionStore.Schema);
builder.Services.AddSingleton<SeenSlackRequests>();
builder.Services.AddNpgsqlSchema(SeenSlackRequests.Schema);
builder.Services.AddOptions<ActionLinkOptions>().BindConfiguration(ActionLinkOptions.SectionName);
builder.Services.AddSingleton<ActionLinkSigner>();
builder.Services.AddScoped<ActionRecorder>();
builder.AddMessaging();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSlackInteractions();
app.MapActionLinks();
app.Run();

public partial class Program;
