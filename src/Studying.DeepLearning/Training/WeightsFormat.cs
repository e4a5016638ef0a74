namespace Studying.DeepLearning.Training;

/// <summary>
/// The weights-file formats <see cref="ModelWeights"/> reads and writes. Each holds a state dict — every parameter and
/// buffer by name — and nothing else; they differ in layout, and <see cref="ModelWeights.FormatOf"/> tells them apart
/// by content, not by file name.
/// </summary>
public enum WeightsFormat
{
    /// <summary>
    /// TorchSharp's own format (<c>module.save</c>/<c>module.load</c>; by this project's convention <c>*.dat</c>): a
    /// LEB128 entry count, then per entry the name and the tensor (type, shape, raw little-endian bytes).
    /// </summary>
    TorchSharp,

    /// <summary>
    /// PyTorch's <c>torch.save(model.state_dict())</c> format (<c>*.pt</c>, <c>*.pth</c>): a zip archive (it starts
    /// with "PK") holding a pickle and one raw file per tensor storage.
    /// </summary>
    PyTorch,

    /// <summary>
    /// Hugging Face's safetensors (<c>*.safetensors</c>): an 8-byte little-endian header length, a JSON header giving
    /// each tensor's dtype, shape and data offsets, then the raw little-endian data.
    /// </summary>
    Safetensors,
}
