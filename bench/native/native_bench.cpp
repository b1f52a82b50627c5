// The normalisation core built natively (g++ -O3 -march=native), driven by bench/core-bench.mjs
// as a child process so that its figures land in the same table, in the same rounds.
//
// Protocol: one command per line on stdin, one answer per line on stdout.
//   load ID N C S XPATH GCPATH BCPATH GLPATH BLPATH   reads x [n*c*s], gamma/beta for batch norm
//   [c]
//                                                    and for layer norm [c*s] (raw float32 files)
//   time ID OP REPS          OP is bn or ln; runs the operation REPS times, answers
//                            "ok <wall ns> <thread CPU ns>"
//   dump ID OP PATH          runs once, writes y then the statistics (raw float32), answers "ok"
//   info                     answers "ok <compiler> <flags>"
//   quit
// Errors answer "error <message>".
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "normcore/ops.h"

namespace {

using normcore::Input;

int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

using normcore::Output;

struct Case {
  normcore::Shape shape;
  std::vector<float> x, gamma_c, beta_c, gamma_l, beta_l;
  std::vector<float> run_mean, run_var;                 // inputs: zeros, ones
  std::vector<float> y, mean_c, var_c, rm_out, rv_out;  // batch norm outputs
  std::vector<float> mean_n, var_n;                     // layer norm statistics
};

std::vector<float> read_floats(const std::string& path, size_t expected) {
  std::ifstream f(path, std::ios::binary);
  std::vector<float> v(expected);
  f.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(expected * sizeof(float)));
  if (!f || static_cast<size_t>(f.gcount()) != expected * sizeof(float)) {
    throw std::runtime_error("cannot read " + std::to_string(expected) + " floats from " + path);
  }
  return v;
}

Input in(const std::vector<float>& v) {
  return {v.data(), static_cast<int64_t>(v.size())};
}
Output out(std::vector<float>& v) {
  return {v.data(), static_cast<int64_t>(v.size())};
}

void run(Case& k, const std::string& op) {
  normcore::Status st = normcore::Status::Ok();
  if (op == "bn") {
    normcore::BatchNormArgs a;
    a.shape = k.shape;
    a.x = in(k.x);
    a.gamma = in(k.gamma_c);
    a.beta = in(k.beta_c);
    a.running_mean = in(k.run_mean);
    a.running_var = in(k.run_var);
    a.training = true;
    a.momentum = 0.1;
    st = normcore::batch_norm(
        a, {out(k.y), out(k.mean_c), out(k.var_c), out(k.rm_out), out(k.rv_out)});
  } else if (op == "ln") {
    normcore::NormArgs a;
    a.shape = k.shape;
    a.x = in(k.x);
    a.gamma = in(k.gamma_l);
    a.beta = in(k.beta_l);
    st = normcore::layer_norm(a, {out(k.y), out(k.mean_n), out(k.var_n)});
  } else {
    throw std::runtime_error("unknown operation " + op);
  }
  if (!st.ok())
    throw std::runtime_error(st.message());
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  std::map<std::string, Case> cases;
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream is(line);
    std::string cmd;
    is >> cmd;
    try {
      if (cmd == "quit")
        break;
      if (cmd == "info") {
        std::cout << "ok g++ " << __VERSION__ << std::endl;
      } else if (cmd == "load") {
        std::string id, xp, gcp, bcp, glp, blp;
        int64_t n, c, s;
        is >> id >> n >> c >> s >> xp >> gcp >> bcp >> glp >> blp;
        if (!is)
          throw std::runtime_error("load: bad arguments");
        Case k;
        k.shape = {n, c, s};
        const size_t total = static_cast<size_t>(n * c * s);
        k.x = read_floats(xp, total);
        k.gamma_c = read_floats(gcp, c);
        k.beta_c = read_floats(bcp, c);
        k.gamma_l = read_floats(glp, c * s);
        k.beta_l = read_floats(blp, c * s);
        k.run_mean.assign(c, 0.f);
        k.run_var.assign(c, 1.f);
        k.y.assign(total, 0.f);
        k.mean_c.assign(c, 0.f);
        k.var_c.assign(c, 0.f);
        k.rm_out.assign(c, 0.f);
        k.rv_out.assign(c, 0.f);
        k.mean_n.assign(n, 0.f);
        k.var_n.assign(n, 0.f);
        cases[id] = std::move(k);
        std::cout << "ok" << std::endl;
      } else if (cmd == "time" || cmd == "dump") {
        std::string id, op, arg;
        is >> id >> op >> arg;
        auto it = cases.find(id);
        if (it == cases.end())
          throw std::runtime_error("no case " + id);
        Case& k = it->second;
        if (cmd == "time") {
          const long reps = std::stol(arg);
          const int64_t c0 = thread_cpu_ns();
          const auto t0 = std::chrono::steady_clock::now();
          for (long r = 0; r < reps; ++r)
            run(k, op);
          const auto t1 = std::chrono::steady_clock::now();
          const int64_t c1 = thread_cpu_ns();
          std::cout << "ok "
                    << std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count() << ' '
                    << (c1 - c0) << std::endl;
        } else {
          run(k, op);
          std::ofstream f(arg, std::ios::binary);
          auto put = [&f](const std::vector<float>& v) {
            f.write(reinterpret_cast<const char*>(v.data()),
                    static_cast<std::streamsize>(v.size() * sizeof(float)));
          };
          put(k.y);
          if (op == "bn") {
            put(k.mean_c);
            put(k.var_c);
          } else {
            put(k.mean_n);
            put(k.var_n);
          }
          f.close();  // flushed before the answer, which tells the reader the file is complete
          if (!f)
            throw std::runtime_error("cannot write " + arg);
          std::cout << "ok" << std::endl;
        }
      } else {
        throw std::runtime_error("unknown command " + cmd);
      }
    } catch (const std::exception& e) {
      std::cout << "error " << e.what() << std::endl;
    }
  }
  return 0;
}
