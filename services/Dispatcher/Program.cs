using ContextPush.Dispatcher.Delivery;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDispatching();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDispatching();
app.Run();

public partial class Program;
