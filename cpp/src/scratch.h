// Working memory that one call uses and the next reuses. On a small batch a call would otherwise
// spend more time in malloc and free than in arithmetic. Each use site keeps its own vector
// (thread_local: the native tests may run operations on several threads); a block larger than
// kKeepBytes is handed back after the call, so one big call does not hold memory for good.
#pragma once

#include <cstddef>
#include <vector>

namespace normcore {

template <class T>
class Scratch {
 public:
  static constexpr size_t kKeepBytes = 64 * 1024;

  // `kept` must outlive this object; it is filled with `size` copies of `fill`.
  Scratch(std::vector<T>* kept, size_t size, T fill) : kept_(kept) { kept_->assign(size, fill); }
  ~Scratch() {
    if (kept_->capacity() * sizeof(T) > kKeepBytes)
      std::vector<T>().swap(*kept_);
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;

  T* data() { return kept_->data(); }

 private:
  std::vector<T>* kept_;
};

}  // namespace normcore
