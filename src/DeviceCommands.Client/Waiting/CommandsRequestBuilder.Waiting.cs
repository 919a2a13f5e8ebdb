using Microsoft.Kiota.Abstractions;

namespace DeviceCommands.Client.Me.Devices.Item.Commands;

/// <summary>Accessors for the waiting helpers (<see cref="CommandWaitExtensions.SendAndWaitAsync"/>).</summary>
public partial class CommandsRequestBuilder
{
    /// <summary>The adapter, for the waiting helpers.</summary>
    internal IRequestAdapter Adapter => RequestAdapter;
}
