using ContextPush.Throttler.Throttling;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddThrottling();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDecisionEndpoints();
app.Run();

public partial class Program;
