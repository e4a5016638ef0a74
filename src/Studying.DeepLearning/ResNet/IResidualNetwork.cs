namespace Studying.DeepLearning.ResNet;

/// <summary>
/// The residual networks of this chapter (<see cref="ResNetModel"/>, <see cref="CifarResNet"/>): the
/// <see cref="IImageNetwork"/>s of the ResNet family, which <see cref="ResNetArchitectureSection"/> and
/// <see cref="ResNetArchitecturePicture"/> draw and compare against reference parameter counts.
/// </summary>
public interface IResidualNetwork : IImageNetwork
{
}
