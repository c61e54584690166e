using ContextPush.Detector.Detection;
using ContextPush.Detector.Pushes;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddDetection();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapPushEndpoints();
app.Run();

public partial class Program;
