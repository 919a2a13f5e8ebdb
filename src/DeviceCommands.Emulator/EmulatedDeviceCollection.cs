using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace DeviceCommands.Emulator;

/// <summary>
/// The devices a running emulator serves, in the order <c>GET me/devices</c> lists them: add, change and remove them
/// while it runs (<see cref="DeviceCommandsEmulator.Devices"/>). Thread-safe.
/// </summary>
/// <remarks>
/// A command takes its device's <see cref="EmulatedDevice.Behavior"/> and <see cref="EmulatedDevice.Error"/> when it is
/// posted: a change applies to the commands sent after it (a command's status never goes back). The commands of a
/// removed device answer 404, like any unknown device. Enumerating gives a snapshot.
/// </remarks>
public sealed class EmulatedDeviceCollection : IReadOnlyCollection<EmulatedDevice>
{
    private readonly Lock _gate = new();
    private readonly IReadOnlyList<EmulatedDevice> _initial;
    private readonly List<EmulatedDevice> _devices;
    private byte[]? _quirkyBody;
    private byte[]? _cleanBody;

    internal EmulatedDeviceCollection(IReadOnlyList<EmulatedDevice> initial)
    {
        _initial = initial;
        _devices = [.. initial];
    }

    /// <summary>How many devices are served.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _devices.Count;
            }
        }
    }

    /// <summary>The device with this id.</summary>
    /// <param name="deviceId">The device's id (matched ordinally).</param>
    /// <exception cref="KeyNotFoundException">No device has this id.</exception>
    public EmulatedDevice this[string deviceId] =>
        TryGet(deviceId, out EmulatedDevice? device) ? device : throw new KeyNotFoundException($"The emulator has no device '{deviceId}'.");

    /// <summary>Finds a device by id.</summary>
    /// <param name="deviceId">The device's id (matched ordinally).</param>
    /// <param name="device">The device, when found.</param>
    /// <returns>Whether a device has this id.</returns>
    public bool TryGet(string deviceId, [NotNullWhen(true)] out EmulatedDevice? device)
    {
        lock (_gate)
        {
            int index = IndexOf(deviceId);
            device = index < 0 ? null : _devices[index];
            return device is not null;
        }
    }

    /// <summary>Adds a device at the end of the list.</summary>
    /// <param name="device">The device; its id must be new and non-empty.</param>
    /// <exception cref="ArgumentException">The id is empty or already served, or the behavior is unknown.</exception>
    public void Add(EmulatedDevice device)
    {
        Validate(device, nameof(device));
        lock (_gate)
        {
            if (IndexOf(device.Id) >= 0)
            {
                throw new ArgumentException($"The emulator already has a device '{device.Id}'.", nameof(device));
            }

            _devices.Add(device);
            Changed();
        }
    }

    /// <summary>
    /// Changes a device in place (its position in the list is kept), e.g.
    /// <c>Update("emu-laptop", d => d with { Behavior = DeviceBehavior.Offline })</c>.
    /// </summary>
    /// <param name="deviceId">The device's id.</param>
    /// <param name="change">Makes the new device from the current one; it must keep the id.</param>
    /// <returns>The new device.</returns>
    /// <exception cref="KeyNotFoundException">No device has this id.</exception>
    /// <exception cref="ArgumentException">The new device has another id, or an unknown behavior.</exception>
    public EmulatedDevice Update(string deviceId, Func<EmulatedDevice, EmulatedDevice> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            int index = IndexOf(deviceId);
            if (index < 0)
            {
                throw new KeyNotFoundException($"The emulator has no device '{deviceId}'.");
            }

            EmulatedDevice updated = change(_devices[index]);
            Validate(updated, nameof(change));
            if (!string.Equals(updated.Id, deviceId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"An update must keep the device id '{deviceId}' (it gave '{updated.Id}').", nameof(change));
            }

            _devices[index] = updated;
            Changed();
            return updated;
        }
    }

    /// <summary>Removes a device; its commands then answer 404.</summary>
    /// <param name="deviceId">The device's id.</param>
    /// <returns>Whether a device was removed.</returns>
    public bool Remove(string deviceId)
    {
        lock (_gate)
        {
            int index = IndexOf(deviceId);
            if (index < 0)
            {
                return false;
            }

            _devices.RemoveAt(index);
            Changed();
            return true;
        }
    }

    /// <summary>Enumerates a snapshot of the devices, in list order.</summary>
    /// <returns>The enumerator.</returns>
    public IEnumerator<EmulatedDevice> GetEnumerator()
    {
        EmulatedDevice[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _devices];
        }

        return ((IEnumerable<EmulatedDevice>)snapshot).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The body of <c>GET me/devices</c>, built once per change.</summary>
    internal byte[] ListBody(bool clean)
    {
        lock (_gate)
        {
            return clean
                ? _cleanBody ??= DeviceListJson.Devices(_devices, clean: true)
                : _quirkyBody ??= DeviceListJson.Devices(_devices, clean: false);
        }
    }

    /// <summary>Serves the devices the emulator started with again.</summary>
    internal void Restore()
    {
        lock (_gate)
        {
            _devices.Clear();
            _devices.AddRange(_initial);
            Changed();
        }
    }

    internal static void Validate([NotNull] EmulatedDevice? device, string paramName)
    {
        if (device is null || string.IsNullOrEmpty(device.Id))
        {
            throw new ArgumentException("Every device must have a non-empty Id.", paramName);
        }

        if (!Enum.IsDefined(device.Behavior))
        {
            throw new ArgumentException($"Device '{device.Id}' has an unknown Behavior {device.Behavior}.", paramName);
        }
    }

    private int IndexOf(string deviceId) => _devices.FindIndex(device => string.Equals(device.Id, deviceId, StringComparison.Ordinal));

    private void Changed() => (_quirkyBody, _cleanBody) = (null, null);
}
