from civicgrid.discipline import actions, selectors
from civicgrid.discipline.models import Disposal, Report

from .conftest import granted, photo, submit


def test_a_report_goes_from_intake_to_result(sealed, media):
    submitted = submit(sealed.district, uploads=[photo(), photo("b.png")])
    report = granted(sealed, submitted.report)
    officer = sealed["officer"]
    assert selectors.report_for(officer, report.number) == report
    actions.report_register(report=report, matter=report.matter, acting_user=officer)
    actions.report_accept(report=report, notice="已受理", acting_user=officer)
    actions.report_dispose(report=report, disposal=Disposal.VERIFY, acting_user=officer)
    actions.report_conclude(report=report, result="属实", acting_user=officer)
    actions.report_feed_back(report=report, result="已处理", acting_user=officer)
    report.refresh_from_db()
    assert report.state == Report.State.FED_BACK
    opened = actions.receipt_open(receipt=submitted.receipt)
    assert opened == report
    assert actions.report_open(report=report, acting_user=officer)["what"] == "收受红包"
    assert report.attachments.count() == 2
    from civicgrid.discipline import audit

    assert list(audit.verify()) == []
