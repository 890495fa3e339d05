package dev.captioner.app;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code --device}, as a Picocli mixin of every command that encodes, trains or searches: the one place
 * where weights live and tensors are computed. Left out, it is what DJL finds (a GPU where DJL's CUDA
 * native library is present, else the CPU), so a user with a GPU gets it without asking.
 */
final class DeviceOption {
    private static final Pattern GPU = Pattern.compile("(?:gpu|cuda)(?::?(\\d+))?");

    @Option(names = "--device", paramLabel = "cpu|gpu[:N]",
            description = "Where weights live and tensors are computed: cpu, gpu or gpu:N (default: what DJL finds, a GPU where its CUDA library is present).")
    String name;

    /**
     * The device named, or null for the engine's default.
     *
     * @throws ParameterException with one line for a name that is no device, or a GPU this machine does not have
     */
    Device device(CommandSpec spec) {
        if (name == null) {
            return null;
        }
        String lower = name.strip().toLowerCase(Locale.ROOT);
        if (lower.equals("cpu")) {
            return Device.cpu();
        }
        Matcher gpu = GPU.matcher(lower);
        if (!gpu.matches()) {
            throw new ParameterException(spec.commandLine(), "--device: '" + name + "' is not a device; use cpu, gpu or gpu:N");
        }
        int id = gpu.group(1) == null ? 0 : Integer.parseInt(gpu.group(1));
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        if (id >= gpus) {
            throw new ParameterException(spec.commandLine(), "--device " + name + ": DJL finds " + (gpus == 0 ? "no GPU" : gpus + " GPU(s)")
                    + " with the " + engine.getEngineName() + " " + engine.getVersion() + " native library here; use cpu"
                    + (gpus == 0 ? "" : " or gpu:0.." + (gpus - 1)));
        }
        return Device.gpu(id);
    }
}
