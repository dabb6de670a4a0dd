// Erlang C (B73): how many agents a flow of contacts needs to answer a share of them within a time.
//
// The queue is M/M/N: contacts arrive at random (Poisson) at a rate lambda per second, each holds an
// agent an exponentially distributed time of mean AHT seconds, N agents serve one queue.
//
//   traffic intensity     A = lambda * AHT                        (erlangs: agents kept busy)
//   Erlang B, iterated    B(0) = 1,  B(k) = A * B(k-1) / (k + A * B(k-1))
//   probability of wait   C(N, A) = N * B(N) / (N - A * (1 - B(N)))            (for N > A)
//   service level         SL(N) = 1 - C(N, A) * exp(-(N - A) * T / AHT)
//
// SL(N) is the share of contacts answered within T seconds. The agents needed for a target P (a
// fraction) are the smallest integer N > A with SL(N) >= P. The iteration is the textbook stable
// form of C(N, A) = (A^N / N! * N / (N - A)) / (sum_{k<N} A^k / k! + A^N / N! * N / (N - A)): no
// factorial or power is ever formed, so it holds for thousands of erlangs.
//
// Chat concurrency (an agent holding `c` chats at once) is the caller's: it divides AHT by c before
// computing A and SL (docs/DECISIONS.md, "Workload and staffing"). Pure functions, thread-safe.
#pragma once

namespace switchboard {

// C(n, a): the probability that a contact waits, with n agents and a erlangs; 1 when n <= a (the
// queue grows without end: everyone waits).
double ErlangC(int n, double a);

// SL(n): the share of contacts answered within `target_s` seconds; 0 when n <= a.
double ServiceLevel(int n, double a, double aht_s, double target_s);

// The most traffic AgentsNeeded computes (its answer is an int, found in O(answer) steps).
constexpr double kMaxErlangs = 1e8;

// The smallest n > a with ServiceLevel(n, a, aht_s, target_s) >= share (0 < share <= 1); 0 when
// a <= 0 (no traffic needs no one); -1 when a > kMaxErlangs.
int AgentsNeeded(double a, double aht_s, double target_s, double share);

}  // namespace switchboard
