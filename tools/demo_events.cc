#include "tools/demo_events.h"

namespace fundledger {

std::string_view demo_events_jsonl() {
  // Sourced: programmes, Japan's and Brazil's pledges (UNEA-1, June 2014),
  // USD 650,000 received by mid-2014 in total, the first call's programme,
  // the Board's meeting of 30 March 2014 and its approval of the sixth
  // programme, and the first Board (appointed September 2013, for two
  // years at first) with its shared seats and its co-chairs until 16
  // September 2014, recorded last, as a Secretariat entering its Board's
  // composition would. Invented: the split of the 650,000 among
  // Switzerland, Germany, Finland and the Republic of Korea and their
  // currencies, Switzerland's earmarked pledge, every date not named above
  // (the first call's decision is placed at the March 2014 meeting; the
  // Board's term runs from 2013-09-01 to 2015-08-31), who holds which
  // numbered seat, the calls' budgets, every other decision, every
  // proposal, payment, refund, release and write-off, the interest and the
  // costs. The terms from 2016 list the developing countries and economies
  // in transition that the sources name in the framework's work (they give
  // no official list), take no fee (the sources name none) and put
  // payments of 100,000 USD or more under dual control (invented); the
  // first tranche to Peru's project waits for a second manager.
  return R"JSONL({"id":"prog-ci","type":"programme.registered","data":{"programme":"ci","name":"Consumer information"}}
{"id":"prog-sle","type":"programme.registered","data":{"programme":"sle","name":"Sustainable lifestyles and education"}}
{"id":"prog-spp","type":"programme.registered","data":{"programme":"spp","name":"Sustainable public procurement"}}
{"id":"prog-sbc","type":"programme.registered","data":{"programme":"sbc","name":"Sustainable buildings and construction"}}
{"id":"prog-st","type":"programme.registered","data":{"programme":"st","name":"Sustainable tourism, including ecotourism"}}
{"id":"prog-sfs","type":"programme.registered","data":{"programme":"sfs","name":"Sustainable food systems"}}
{"id":"decision-BD-2014-1","type":"decision.recorded","data":{"decision":"BD-2014-1","meeting_on":"2014-03-30","kind":"programme","summary":"Sustainable food systems is approved as the sixth programme"}}
{"id":"decision-BD-2014-2","type":"decision.recorded","data":{"decision":"BD-2014-2","meeting_on":"2014-03-30","kind":"call","summary":"The first call for proposals is to be launched, on sustainable public procurement"}}
{"id":"donor-JPN","type":"donor.registered","data":{"donor":"JPN","name":"Japan","kind":"government","country":"JPN"}}
{"id":"donor-BRA","type":"donor.registered","data":{"donor":"BRA","name":"Brazil","kind":"government","country":"BRA"}}
{"id":"donor-CHE","type":"donor.registered","data":{"donor":"CHE","name":"Switzerland","kind":"government","country":"CHE"}}
{"id":"donor-DEU","type":"donor.registered","data":{"donor":"DEU","name":"Germany","kind":"government","country":"DEU"}}
{"id":"donor-FIN","type":"donor.registered","data":{"donor":"FIN","name":"Finland","kind":"government","country":"FIN"}}
{"id":"donor-KOR","type":"donor.registered","data":{"donor":"KOR","name":"Republic of Korea","kind":"government","country":"KOR"}}
{"id":"contrib-2014-CHE","type":"contribution.received","data":{"contribution":"c-2014-CHE","donor":"CHE","amount":"200000","currency":"CHF","usd":"220000","received_on":"2014-03-14"}}
{"id":"contrib-2014-DEU","type":"contribution.received","data":{"contribution":"c-2014-DEU","donor":"DEU","amount":"150000","currency":"EUR","usd":"204000","received_on":"2014-04-22"}}
{"id":"contrib-2014-FIN","type":"contribution.received","data":{"contribution":"c-2014-FIN","donor":"FIN","amount":"100000","currency":"EUR","usd":"136000","received_on":"2014-05-06"}}
{"id":"contrib-2014-KOR","type":"contribution.received","data":{"contribution":"c-2014-KOR","donor":"KOR","amount":"100000000","currency":"KRW","usd":"90000","received_on":"2014-06-02"}}
{"id":"pledge-2014-JPN","type":"pledge.recorded","data":{"pledge":"p-2014-JPN","donor":"JPN","amount":"2500000","currency":"USD","pledged_on":"2014-06-27"}}
{"id":"pledge-2014-BRA","type":"pledge.recorded","data":{"pledge":"p-2014-BRA","donor":"BRA","amount":"1000000","currency":"USD","pledged_on":"2014-06-27","due_on":"2016-12-31"}}
{"id":"pledge-2014-CHE","type":"pledge.recorded","data":{"pledge":"p-2014-CHE","donor":"CHE","amount":"300000","currency":"CHF","pledged_on":"2014-09-15","programme":"sbc"}}
{"id":"call-2014-spp:opened","type":"call.opened","data":{"call":"call-2014-spp","title":"First call for proposals: sustainable public procurement","programme":"spp","decision":"BD-2014-2","budget_usd":"1000000","opened_on":"2014-10-01","closes_on":"2014-12-15"}}
{"id":"spp-KEN-01:submitted","type":"proposal.submitted","data":{"proposal":"spp-KEN-01","call":"call-2014-spp","applicant":"Kenya National Cleaner Production Centre","country":"KEN","region":"AFR","requested_usd":"200000","submitted_on":"2014-11-03","focal_point":"Ministry of Environment and Natural Resources, Kenya"}}
{"id":"spp-IDN-01:submitted","type":"proposal.submitted","data":{"proposal":"spp-IDN-01","call":"call-2014-spp","applicant":"Indonesian Green Procurement Initiative","country":"IDN","region":"APG","requested_usd":"220000","submitted_on":"2014-11-10"}}
{"id":"spp-CHL-01:submitted","type":"proposal.submitted","data":{"proposal":"spp-CHL-01","call":"call-2014-spp","applicant":"Chilean Public Procurement Directorate","country":"CHL","region":"GRULAC","requested_usd":"150000","submitted_on":"2014-11-20"}}
{"id":"spp-MDA-01:submitted","type":"proposal.submitted","data":{"proposal":"spp-MDA-01","call":"call-2014-spp","applicant":"Moldovan Public Procurement Agency","country":"MDA","region":"EEG","requested_usd":"130000","submitted_on":"2014-11-25"}}
{"id":"spp-TUR-01:submitted","type":"proposal.submitted","data":{"proposal":"spp-TUR-01","call":"call-2014-spp","applicant":"Turkish Sustainable Procurement Network","country":"TUR","region":"WEOG","requested_usd":"100000","submitted_on":"2014-12-01"}}
{"id":"spp-GHA-01:submitted","type":"proposal.submitted","data":{"proposal":"spp-GHA-01","call":"call-2014-spp","applicant":"Ghana Environmental Protection Agency","country":"GHA","region":"AFR","requested_usd":"180000","submitted_on":"2014-12-10"}}
{"id":"call-2014-spp:closed","type":"call.closed","data":{"call":"call-2014-spp","closed_on":"2014-12-15"}}
{"id":"contrib-2014-JPN","type":"contribution.received","data":{"contribution":"c-2014-JPN","donor":"JPN","pledge":"p-2014-JPN","amount":"1250000","currency":"USD","usd":"1250000","received_on":"2014-12-15"}}
{"id":"decision-BD-2015-1","type":"decision.recorded","data":{"decision":"BD-2015-1","meeting_on":"2015-02-10","kind":"approval","summary":"Five proposals of the first call are approved, one of them reduced, and one is rejected"}}
{"id":"spp-KEN-01:approved","type":"proposal.approved","data":{"proposal":"spp-KEN-01","approved_usd":"180000","decision":"BD-2015-1","decided_on":"2015-02-10"}}
{"id":"spp-IDN-01:approved","type":"proposal.approved","data":{"proposal":"spp-IDN-01","approved_usd":"200000","decision":"BD-2015-1","decided_on":"2015-02-10"}}
{"id":"spp-CHL-01:approved","type":"proposal.approved","data":{"proposal":"spp-CHL-01","approved_usd":"150000","decision":"BD-2015-1","decided_on":"2015-02-10"}}
{"id":"spp-MDA-01:approved","type":"proposal.approved","data":{"proposal":"spp-MDA-01","approved_usd":"120000","decision":"BD-2015-1","decided_on":"2015-02-10"}}
{"id":"spp-TUR-01:approved","type":"proposal.approved","data":{"proposal":"spp-TUR-01","approved_usd":"100000","decision":"BD-2015-1","decided_on":"2015-02-10"}}
{"id":"spp-GHA-01:rejected","type":"proposal.rejected","data":{"proposal":"spp-GHA-01","decision":"BD-2015-1","decided_on":"2015-02-10","reason":"Outside the scope of the call"}}
{"id":"contrib-2015-BRA","type":"contribution.received","data":{"contribution":"c-2015-BRA","donor":"BRA","pledge":"p-2014-BRA","amount":"500000","currency":"USD","usd":"500000","received_on":"2015-03-10"}}
{"id":"disb-spp-KEN-01-1","type":"disbursement.made","data":{"disbursement":"d-spp-KEN-01-1","proposal":"spp-KEN-01","amount_usd":"90000","paid_on":"2015-03-20"}}
{"id":"disb-spp-IDN-01-1","type":"disbursement.made","data":{"disbursement":"d-spp-IDN-01-1","proposal":"spp-IDN-01","amount_usd":"100000","paid_on":"2015-03-20"}}
{"id":"contrib-2015-CHE","type":"contribution.received","data":{"contribution":"c-2015-CHE","donor":"CHE","pledge":"p-2014-CHE","amount":"150000","currency":"CHF","usd":"165000","received_on":"2015-04-01"}}
{"id":"disb-spp-CHL-01-1","type":"disbursement.made","data":{"disbursement":"d-spp-CHL-01-1","proposal":"spp-CHL-01","amount_usd":"75000","paid_on":"2015-04-02"}}
{"id":"disb-spp-MDA-01-1","type":"disbursement.made","data":{"disbursement":"d-spp-MDA-01-1","proposal":"spp-MDA-01","amount_usd":"60000","paid_on":"2015-04-02"}}
{"id":"disb-spp-TUR-01-1","type":"disbursement.made","data":{"disbursement":"d-spp-TUR-01-1","proposal":"spp-TUR-01","amount_usd":"50000","paid_on":"2015-04-15"}}
{"id":"decision-BD-2015-2","type":"decision.recorded","data":{"decision":"BD-2015-2","meeting_on":"2015-05-15","kind":"call","summary":"A second call, on sustainable lifestyles and education, is to be open to Africa, Asia-Pacific and Latin America and the Caribbean"}}
{"id":"call-2015-sle:opened","type":"call.opened","data":{"call":"call-2015-sle","title":"Second call for proposals: sustainable lifestyles and education","programme":"sle","decision":"BD-2015-2","budget_usd":"500000","opened_on":"2015-06-01","closes_on":"2015-08-31","regions":["AFR","APG","GRULAC"]}}
{"id":"sle-SEN-01:submitted","type":"proposal.submitted","data":{"proposal":"sle-SEN-01","call":"call-2015-sle","applicant":"Senegalese Network for Sustainable Lifestyles","country":"SEN","region":"AFR","requested_usd":"150000","submitted_on":"2015-07-01"}}
{"id":"sle-PER-01:submitted","type":"proposal.submitted","data":{"proposal":"sle-PER-01","call":"call-2015-sle","applicant":"Peruvian Schools for Sustainability","country":"PER","region":"GRULAC","requested_usd":"120000","submitted_on":"2015-07-15"}}
{"id":"sle-VNM-01:submitted","type":"proposal.submitted","data":{"proposal":"sle-VNM-01","call":"call-2015-sle","applicant":"Viet Nam Youth for Sustainable Consumption","country":"VNM","region":"APG","requested_usd":"140000","submitted_on":"2015-08-20"}}
{"id":"call-2015-sle:closed","type":"call.closed","data":{"call":"call-2015-sle","closed_on":"2015-08-31"}}
{"id":"decision-BD-2015-3","type":"decision.recorded","data":{"decision":"BD-2015-3","meeting_on":"2015-10-05","kind":"approval","summary":"Two proposals of the second call are approved, one of them reduced"}}
{"id":"sle-SEN-01:approved","type":"proposal.approved","data":{"proposal":"sle-SEN-01","approved_usd":"150000","decision":"BD-2015-3","decided_on":"2015-10-05"}}
{"id":"sle-PER-01:approved","type":"proposal.approved","data":{"proposal":"sle-PER-01","approved_usd":"100000","decision":"BD-2015-3","decided_on":"2015-10-05"}}
{"id":"disb-spp-KEN-01-2","type":"disbursement.made","data":{"disbursement":"d-spp-KEN-01-2","proposal":"spp-KEN-01","amount_usd":"90000","paid_on":"2015-11-02"}}
{"id":"disb-sle-SEN-01-1","type":"disbursement.made","data":{"disbursement":"d-sle-SEN-01-1","proposal":"sle-SEN-01","amount_usd":"75000","paid_on":"2015-11-15"}}
{"id":"disb-spp-CHL-01-2","type":"disbursement.made","data":{"disbursement":"d-spp-CHL-01-2","proposal":"spp-CHL-01","amount_usd":"75000","paid_on":"2016-01-20"}}
{"id":"refund-spp-MDA-01","type":"refund.received","data":{"refund":"r-spp-MDA-01","proposal":"spp-MDA-01","amount_usd":"10000","received_on":"2016-02-01"}}
{"id":"spp-TUR-01:released","type":"allocation.released","data":{"proposal":"spp-TUR-01","amount_usd":"20000","released_on":"2016-03-01","reason":"Project completed under budget"}}
{"id":"writeoff-2014-BRA","type":"pledge.written_off","data":{"pledge":"p-2014-BRA","amount":"200000","written_off_on":"2016-12-31","reason":"Pledge reduced by the donor"}}
{"id":"income-2014-interest","type":"income.received","data":{"income":"i-2014-interest","kind":"interest","amount_usd":"1850","received_on":"2014-12-31","reason":"Interest on the fund's account, 2014"}}
{"id":"income-2015-interest","type":"income.received","data":{"income":"i-2015-interest","kind":"interest","amount_usd":"4200","received_on":"2015-12-31","reason":"Interest on the fund's account, 2015"}}
{"id":"cost-2015-bank","type":"cost.charged","data":{"cost":"x-2015-bank","kind":"bank_charge","amount_usd":"320","charged_on":"2015-12-31","reason":"Bank charges on transfers to projects, 2015"}}
{"id":"decision-BD-2015-4","type":"decision.recorded","data":{"decision":"BD-2015-4","meeting_on":"2015-12-01","kind":"terms","summary":"From 2016 the fund is open to developing countries and economies in transition, and payments of 100,000 USD or more need a second manager"}}
{"id":"terms-2016","type":"terms.set","data":{"effective_on":"2016-01-01","dual_control_usd":"100000","eligible_countries":"ALB ARG ARM AZE BEN BFA BGD BLR BRA CHL CIV COL CRI EGY ETH GEO GHA GIN HND IDN JOR KEN KHM LAO LBN LKA MDA MLI MNE MRT MUS NAM NER PAK PHL PRY RWA SEN SRB TGO TUN UGA UKR URY VNM ZMB"}}
{"id":"cost-2016-evaluation","type":"cost.charged","data":{"cost":"x-2016-evaluation","kind":"direct_cost","amount_usd":"12500","charged_on":"2016-06-30","reason":"Mid-term evaluation of the first call's projects"}}
{"id":"request-sle-PER-01-1","type":"disbursement.requested","data":{"disbursement":"d-sle-PER-01-1","proposal":"sle-PER-01","amount_usd":"60000","requested_on":"2016-06-15"}}
{"id":"member-board-2013-CHL","type":"board.member.appointed","data":{"member":"board-2013-CHL","country":"CHL","region":"GRULAC","seat":"GRULAC-1","from":"2013-09-01","to":"2015-08-31"}}
{"id":"member-board-2013-MEX","type":"board.member.appointed","data":{"member":"board-2013-MEX","country":"MEX","region":"GRULAC","seat":"GRULAC-2","from":"2013-09-01","to":"2015-08-31","co_chair_to":"2014-09-16"}}
{"id":"member-board-2013-ROU","type":"board.member.appointed","data":{"member":"board-2013-ROU","country":"ROU","region":"EEG","seat":"EEG-1","from":"2013-09-01","to":"2015-08-31"}}
{"id":"member-board-2013-RUS","type":"board.member.appointed","data":{"member":"board-2013-RUS","country":"RUS","region":"EEG","seat":"EEG-2","from":"2013-09-01","to":"2015-08-31"}}
{"id":"member-board-2013-CHE","type":"board.member.appointed","data":{"member":"board-2013-CHE","country":"CHE","region":"WEOG","seat":"WEOG-1","from":"2013-09-01","to":"2015-08-31"}}
{"id":"member-board-2013-FIN","type":"board.member.appointed","data":{"member":"board-2013-FIN","country":"FIN","region":"WEOG","seat":"WEOG-2","from":"2013-09-01","to":"2015-08-31","shared_with":"DEU"}}
{"id":"member-board-2013-JPN","type":"board.member.appointed","data":{"member":"board-2013-JPN","country":"JPN","region":"APG","seat":"APG-1","from":"2013-09-01","to":"2015-08-31","shared_with":"KOR"}}
{"id":"member-board-2013-IDN","type":"board.member.appointed","data":{"member":"board-2013-IDN","country":"IDN","region":"APG","seat":"APG-2","from":"2013-09-01","to":"2015-08-31","shared_with":"BGD","co_chair_to":"2014-09-16"}}
{"id":"member-board-2013-ZAF","type":"board.member.appointed","data":{"member":"board-2013-ZAF","country":"ZAF","region":"AFR","seat":"AFR-1","from":"2013-09-01","to":"2015-08-31"}}
{"id":"member-board-2013-TZA","type":"board.member.appointed","data":{"member":"board-2013-TZA","country":"TZA","region":"AFR","seat":"AFR-2","from":"2013-09-01","to":"2015-08-31"}}
)JSONL";
}

}  // namespace fundledger
