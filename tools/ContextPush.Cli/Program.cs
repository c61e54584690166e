using System.CommandLine;
using ContextPush.Cli;
using ContextPush.Cli.Commands;

var root = new RootCommand("contextpush: checks push files before they merge, previews and runs pushes, replays parked messages, and explains why an alert came or not.")
{
    ValidateCommand.Create(),
    SchemaCommand.Create(),
    PreviewCommand.Create(),
    RunCommand.Create(),
    ReplayCommand.Create(),
    ExplainCommand.Create(),
};
return await CommandLine.InvokeAsync(root, args);
