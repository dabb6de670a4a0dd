#include "projections/erlang_c.h"

#include <cmath>

namespace switchboard {
namespace {

// B(n) by the recurrence B(0) = 1, B(k) = a * B(k-1) / (k + a * B(k-1)).
double ErlangB(int n, double a) {
  double b = 1.0;
  for (int k = 1; k <= n; ++k) b = a * b / (k + a * b);
  return b;
}

double WaitProbability(int n, double a, double b) { return n * b / (n - a * (1.0 - b)); }

double Level(int n, double a, double c, double aht_s, double target_s) {
  return 1.0 - c * std::exp(-(n - a) * target_s / aht_s);
}

}  // namespace

double ErlangC(int n, double a) {
  if (a <= 0) return 0.0;
  if (n <= a) return 1.0;
  return WaitProbability(n, a, ErlangB(n, a));
}

double ServiceLevel(int n, double a, double aht_s, double target_s) {
  if (a <= 0) return 1.0;
  if (n <= a) return 0.0;
  return Level(n, a, ErlangC(n, a), aht_s, target_s);
}

int AgentsNeeded(double a, double aht_s, double target_s, double share) {
  if (a <= 0) return 0;
  if (!(a <= kMaxErlangs)) return -1;
  // B(n) for n = 1, 2, ... once: each candidate costs one step of the recurrence.
  double b = 1.0;
  for (int n = 1;; ++n) {
    b = a * b / (n + a * b);
    if (n <= a) continue;
    // SL reaches 1.0 in doubles well before n = a + 1,000 * sqrt(a) + 1,000: this ends.
    if (Level(n, a, WaitProbability(n, a, b), aht_s, target_s) >= share) return n;
  }
}

}  // namespace switchboard
