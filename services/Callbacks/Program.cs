using ContextPush.Callbacks.Actions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddCallbacks();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCallbacks();
app.Run();

public partial class Program;
