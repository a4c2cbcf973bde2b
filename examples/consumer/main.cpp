// Computes the LTV of a $50/month customer with 4% monthly churn and a $300
// CAC with the cltv library, and checks the 3x rule.
#include <cltv/cltv.hpp>

#include <cstdio>

int main() {
  cltv::scenario_input in;
  in.arpu = 50;
  in.churn = 0.04;
  in.cac = 300;
  const cltv::result<cltv::ltv_result> r = cltv::calculate(in);
  if (!r) {
    std::fprintf(stderr, "error: %s\n", r.error().message.c_str());
    return 2;
  }
  // 50 / 0.04 = 1250; 1250 / 300 = 4.17
  std::printf("LTV %.2f, LTV:CAC %.2f, meets 3x: %s\n", r->ltv, *r->ltv_cac_ratio,
              *r->meets_target ? "yes" : "no");
  return r->ltv == 1250.0 && *r->meets_target ? 0 : 1;
}
