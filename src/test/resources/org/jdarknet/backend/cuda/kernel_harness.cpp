// Runs jdarknet's CUDA kernels on the host for KernelArithmeticTest.
//
// Reads a script from stdin, one command a line:
//   buffer ID COUNT      then COUNT little-endian floats (raw bytes) right after the newline;
//                        a kernel's double* takes a buffer of twice its count of floats
//   launch NAME GRID BLOCK ARG...   ARG: bID (buffer), n (null pointer), iV (int), lV (long long),
//                                   fHEX (float by its bit pattern)
//   dump ID              writes the buffer's COUNT (int32) and floats to stdout
// kernels.cu is compiled in (with cuda_emulation.h forced first), so what runs is the device code.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "kernels.cu"

namespace {

struct Argument {
    char kind;
    float* pointer;
    long long integer;
    float real;
};

[[noreturn]] void fail(const std::string& message) {
    std::fprintf(stderr, "kernel_harness: %s\n", message.c_str());
    std::exit(2);
}

template <typename T> T convert(const Argument& a);
template <> float* convert<float*>(const Argument& a) {
    if (a.kind != 'b' && a.kind != 'n') fail("pointer argument expected");
    return a.pointer;
}
template <> const float* convert<const float*>(const Argument& a) { return convert<float*>(a); }
// a double buffer is a float buffer of twice the count
template <> double* convert<double*>(const Argument& a) { return reinterpret_cast<double*>(convert<float*>(a)); }
template <> const double* convert<const double*>(const Argument& a) { return convert<double*>(a); }
template <> int convert<int>(const Argument& a) {
    if (a.kind != 'i') fail("int argument expected");
    return (int) a.integer;
}
template <> long long convert<long long>(const Argument& a) {
    if (a.kind != 'l') fail("long long argument expected");
    return a.integer;
}
template <> float convert<float>(const Argument& a) {
    if (a.kind != 'f') fail("float argument expected");
    return a.real;
}

using Launcher = std::function<void(unsigned, unsigned, const std::vector<Argument>&)>;

template <typename... P, std::size_t... I>
void launch_with(unsigned grid, unsigned block, void (*kernel)(P...), const std::vector<Argument>& a,
                 std::index_sequence<I...>) {
    emulate_launch(grid, block, kernel, convert<P>(a[I])...);
}

template <typename... P> Launcher launcher(void (*kernel)(P...)) {
    return [kernel](unsigned grid, unsigned block, const std::vector<Argument>& a) {
        if (a.size() != sizeof...(P)) fail("wrong number of arguments");
        launch_with(grid, block, kernel, a, std::index_sequence_for<P...>{});
    };
}

#define KERNEL(name) {#name, launcher(name)}

const std::map<std::string, Launcher> kernels = {
    KERNEL(jd_fill), KERNEL(jd_axpy), KERNEL(jd_scale), KERNEL(jd_activate), KERNEL(jd_activation_gradient),
    KERNEL(jd_epilogue), KERNEL(jd_batchnorm_statistics), KERNEL(jd_batchnorm_normalize),
    KERNEL(jd_batchnorm_backward_sums), KERNEL(jd_batchnorm_backward_delta), KERNEL(jd_bias_gradient),
    KERNEL(jd_maxpool_forward), KERNEL(jd_maxpool_backward), KERNEL(jd_avgpool_forward),
    KERNEL(jd_avgpool_backward), KERNEL(jd_shortcut), KERNEL(jd_copy_channels), KERNEL(jd_add_channels),
    KERNEL(jd_crop), KERNEL(jd_softmax), KERNEL(jd_softmax_cross_entropy), KERNEL(jd_cost),
    KERNEL(jd_segment_sums), KERNEL(jd_dropout_forward), KERNEL(jd_dropout_backward), KERNEL(jd_chunk_sums),
    KERNEL(jd_batchnorm_mean_from_partials), KERNEL(jd_batchnorm_variance_from_partials),
    KERNEL(jd_batchnorm_backward_partials), KERNEL(jd_batchnorm_backward_from_partials),
};

std::string read_line() {
    std::string line;
    int c;
    while ((c = std::getchar()) != EOF && c != '\n') line.push_back((char) c);
    if (c == EOF && line.empty()) return "";
    return line;
}

std::vector<std::string> words(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < line.size()) {
        std::size_t end = line.find(' ', start);
        if (end == std::string::npos) end = line.size();
        if (end > start) out.push_back(line.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

Argument parse(const std::string& word, std::map<long long, std::vector<float>>& buffers) {
    Argument a = {word[0], nullptr, 0, 0};
    std::string value = word.substr(1);
    switch (a.kind) {
        case 'b': {
            auto found = buffers.find(std::stoll(value));
            if (found == buffers.end()) fail("no buffer " + value);
            a.pointer = found->second.data();
            break;
        }
        case 'n': break;
        case 'i':
        case 'l': a.integer = std::stoll(value); break;
        case 'f': {
            uint32_t bits = (uint32_t) std::stoul(value, nullptr, 16);
            std::memcpy(&a.real, &bits, sizeof bits);
            break;
        }
        default: fail("bad argument " + word);
    }
    return a;
}

}  // namespace

int main() {
    std::map<long long, std::vector<float>> buffers;
    for (std::string line = read_line(); !line.empty(); line = read_line()) {
        std::vector<std::string> w = words(line);
        if (w[0] == "buffer" && w.size() == 3) {
            std::vector<float>& buffer = buffers[std::stoll(w[1])];
            buffer.resize(std::stoull(w[2]));
            if (std::fread(buffer.data(), sizeof(float), buffer.size(), stdin) != buffer.size()) fail("short buffer");
        } else if (w[0] == "launch" && w.size() >= 4) {
            auto kernel = kernels.find(w[1]);
            if (kernel == kernels.end()) fail("no kernel " + w[1]);
            std::vector<Argument> arguments;
            for (std::size_t i = 4; i < w.size(); i++) arguments.push_back(parse(w[i], buffers));
            kernel->second((unsigned) std::stoul(w[2]), (unsigned) std::stoul(w[3]), arguments);
        } else if (w[0] == "dump" && w.size() == 2) {
            std::vector<float>& buffer = buffers.at(std::stoll(w[1]));
            int32_t count = (int32_t) buffer.size();
            std::fwrite(&count, sizeof count, 1, stdout);
            std::fwrite(buffer.data(), sizeof(float), buffer.size(), stdout);
        } else {
            fail("bad command: " + line);
        }
    }
    return 0;
}
