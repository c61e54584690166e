using ContextPush.Assembler.Context;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddAssembler();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
