"""Production refuses the GP register's local fake (it holds the demo's lists), and asks for FLR's https address."""

from tests.test_production_settings import run_check

LOCAL = "helseportal.organisations.gp_register.LocalGpRegister"


def test_production_refuses_the_local_gp_register():
    result = run_check(HELSEPORTAL_GP_REGISTER=LOCAL)
    assert result.returncode == 2
    assert "the GP register is the local fake with the demo's lists" in result.stderr
    assert "HELSEPORTAL_GP_REGISTER=helseportal.organisations.gp_register.FlrGpRegister" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_asks_for_the_flr_services_https_address():
    for url in ("", "http://flr.nhn.no"):
        result = run_check(HELSEPORTAL_FLR_URL=url)
        assert result.returncode == 2
        assert "HELSEPORTAL_FLR_URL must be Norsk helsenett's https:// address of the FLR service" in result.stderr


def test_staging_may_use_the_local_fake():
    result = run_check(HELSEPORTAL_ENV="staging", HELSEPORTAL_GP_REGISTER=LOCAL, HELSEPORTAL_FLR_URL="")
    assert "GP register" not in result.stderr
