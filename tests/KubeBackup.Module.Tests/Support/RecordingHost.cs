using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace KubeBackup.Module.Tests.Support;

/// <summary>
/// A host that keeps what the engine writes to it: "What if:" lines go to the host, not to a stream, so a test that
/// checks what -WhatIf lists needs one. Prompts are refused, except confirmation choices queued in <see cref="Answers"/>.
/// </summary>
public sealed class RecordingHost : PSHost
{
    private readonly RecordingUserInterface _ui = new();

    /// <summary>Answers to choice prompts (such as -Confirm's), by label ("&amp;Yes", "&amp;No"), taken in order.</summary>
    public ConcurrentQueue<string> Answers => _ui.Answers;

    /// <summary>Every line written to the host, in order.</summary>
    public IReadOnlyList<string> Lines => _ui.Lines;

    public override string Name => "KubeBackupTestHost";

    public override Version Version { get; } = new(1, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface UI => _ui;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override void SetShouldExit(int exitCode)
    {
    }

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    private sealed class RecordingUserInterface : PSHostUserInterface
    {
        private readonly List<string> _lines = [];
        private string _partial = "";

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return [.. _lines];
                }
            }
        }

        public override PSHostRawUserInterface? RawUI => null;

        public override void Write(string value) => Add(value, newLine: false);

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Add(value, newLine: false);

        public override void WriteLine(string value) => Add(value, newLine: true);

        public override void WriteErrorLine(string value) => Add(value, newLine: true);

        public override void WriteDebugLine(string message) => Add("DEBUG: " + message, newLine: true);

        public override void WriteVerboseLine(string message) => Add("VERBOSE: " + message, newLine: true);

        public override void WriteWarningLine(string message) => Add("WARNING: " + message, newLine: true);

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override string ReadLine() => throw new NotSupportedException("The test host takes no input.");

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("The test host takes no input.");

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
            throw new NotSupportedException("The test host takes no input.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
            throw new NotSupportedException("The test host takes no input.");

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
            throw new NotSupportedException("The test host takes no input.");

        public ConcurrentQueue<string> Answers { get; } = new();

        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            if (!Answers.TryDequeue(out var answer))
            {
                throw new NotSupportedException("The test host takes no input.");
            }
            Add($"{caption}: {message} -> {answer}", newLine: true);
            var index = choices.ToList().FindIndex(c => c.Label == answer);
            return index >= 0 ? index : throw new InvalidOperationException($"No choice '{answer}' in: {string.Join(", ", choices.Select(c => c.Label))}");
        }

        private void Add(string value, bool newLine)
        {
            lock (_lines)
            {
                _partial += value;
                if (newLine)
                {
                    _lines.Add(_partial);
                    _partial = "";
                }
            }
        }
    }
}
