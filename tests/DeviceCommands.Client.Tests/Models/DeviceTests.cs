using DeviceCommands.Client.Models;
using DeviceCommands.Client.Tests.TestSupport;

namespace DeviceCommands.Client.Tests.Models;

public class DeviceTests
{
    [Fact]
    public void A_pascal_case_device_reads_every_property()
    {
        var device = Json.Read("""{"Name":"n","id":"i","Kind":"k","Manufacturer":"m","Model":"mo","Platform":"p","Status":"online"}""", Device.CreateFromDiscriminatorValue);

        Assert.Equal(("i", "n", "k", "m", "mo", "p", "online"), (device.Id, device.Name, device.Kind, device.Manufacturer, device.Model, device.Platform, device.Status));
    }

    [Fact]
    public void Null_strings_read_as_null_and_are_not_written()
    {
        var device = Json.Read("""{"id":"i","Name":"null","Model":"null"}""", Device.CreateFromDiscriminatorValue);

        Assert.Null(device.Name);
        Assert.Null(device.Model);
        Assert.True(Json.SameJson("""{"id":"i"}""", Json.Write(device)));
    }

    [Fact]
    public void Writing_uses_camel_case()
    {
        var device = new Device { Id = "i", Name = "n", Kind = "k", Status = "online" };

        Assert.True(Json.SameJson("""{"id":"i","name":"n","kind":"k","status":"online"}""", Json.Write(device)));
    }
}
