using ContextPush.Callbacks;
using ContextPush.Callbacks.Actions;
using ContextPush.Callbacks.Slack;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("callbacksdb");
builder.Services.AddOptions<CallbacksOptions>().BindConfiguration(CallbacksOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ActionStore>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ActionStore>());
builder.Services.AddScoped<ActionRecorder>();
builder.AddMessaging();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapSlackInteractions();
app.Run();

public partial class Program;
