using KubeApiEmulator.Storage;

namespace KubeApiEmulator.Controllers;

/// <summary>A simulated controller: reacts to changes and can look at everything again on resync.</summary>
public interface IController
{
    void OnEvent(WatchEvent e, ControllerContext context);

    void Resync(ControllerContext context);
}
