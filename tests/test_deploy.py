"""The Kubernetes deployment (deploy/kubernetes/) against the Zero to JupyterHub 4.4 chart.

Helm validates the chart's defaults merged with a deployment's values against the chart's
values.schema; the same is done here with the chart's own schema and defaults (shared/reference,
copied from the chart's tag 4.4.0). Then the hub configuration the values carry (hub.config,
hub.loadRoles, hub.extraConfig) is loaded as z2jh's jupyterhub_config.py loads it, into
JupyterHub's, the authenticators' and KubeSpawner's configuration classes.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from types import SimpleNamespace

import jsonschema
import pytest
import yaml
from traitlets import HasTraits
from traitlets.config import Config

from .browser import IN_CI
from .conftest import ROOT

DEPLOY = ROOT / "deploy" / "kubernetes"
REFERENCE = Path(os.environ.get("Z2JH_REFERENCE", ROOT.parent / "shared/reference/z2jh"))
if not REFERENCE.is_dir():  # a developer's worktree sits one level deeper than CI's checkout
    REFERENCE = Path("/work/shared/reference/z2jh")


def _reference(name: str) -> dict:
    path = REFERENCE / name
    if not path.is_file():
        if IN_CI:
            pytest.fail(f"{path} missing (CI=true: shared/ must be beside the checkout)")
        pytest.skip(f"{path} missing: the z2jh chart's schema is not on this machine")
    return yaml.safe_load(path.read_text())


def merged(*overlays: dict) -> dict:
    """Helm's merge: the chart's defaults, then each values file over them (maps merge deeply)."""
    out = copy.deepcopy(_reference("values.yaml"))
    for overlay in overlays:
        out = _merge(out, overlay)
    return out


def _merge(base: dict, overlay: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def values(name: str = "values.yaml") -> dict:
    return yaml.safe_load((DEPLOY / name).read_text())


def schema_errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(_reference("values.schema.yaml"))
    return [f"{'.'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_values_validate_against_the_charts_schema():
    assert schema_errors(merged(values())) == []
    assert schema_errors(merged(values(), values("values-lti13.yaml"))) == []


def test_the_schema_check_catches_a_mistake():
    wrong = values()
    wrong["singleuser"]["memory"]["limits"] = "1G"  # the chart's key is `limit`
    wrong["cull"]["timeout"] = "1h"
    errors = schema_errors(merged(wrong))
    assert any("limits" in e for e in errors) and any(e.startswith("cull.timeout") for e in errors)


def hub_config(doc: dict) -> Config:
    """What z2jh's jupyterhub_config.py does with hub.config, hub.loadRoles, hub.extraConfig."""
    c = Config()
    for section, settings in doc["hub"]["config"].items():
        c[section].update(settings)
    c.JupyterHub.load_roles = [{"name": name, **role}
                               for name, role in doc["hub"]["loadRoles"].items()]
    for name, code in sorted(doc["hub"]["extraConfig"].items()):
        exec(compile(code, f"hub.extraConfig.{name}", "exec"), {"c": c})
    return c


def _known(cls, settings: dict) -> None:
    unknown = set(settings) - set(cls.class_trait_names(config=True))
    assert not unknown, f"{cls.__name__} has no option {sorted(unknown)}"
    # each value passes the option's own validation (checked on copies of the traits: some of
    # these classes need a running hub to be instantiated)
    traits = cls.class_traits(config=True)
    probe = type(f"{cls.__name__}Options", (HasTraits,),
                 {name: copy.copy(traits[name]) for name in settings})
    probe(**settings)


def test_the_hub_config_loads_in_jupyterhub():
    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import Authenticator
    from jupyterhub.scopes import _check_scopes_exist
    from kubespawner import KubeSpawner
    from ltiauthenticator.lti13.auth import LTI13Authenticator
    from nativeauthenticator import NativeAuthenticator

    c = hub_config(values())
    classes = {"JupyterHub": JupyterHub, "Authenticator": Authenticator,
               "NativeAuthenticator": NativeAuthenticator, "KubeSpawner": KubeSpawner}
    assert set(c) <= set(classes)
    for name, settings in c.items():
        _known(classes[name], dict(settings))
    app = JupyterHub(config=c)
    assert app.authenticator_class is NativeAuthenticator
    assert set(app.load_groups) == {"instructors", "students"}
    roles = {role["name"]: role for role in app.load_roles}
    for role in roles.values():
        _check_scopes_exist(role["scopes"])
    assert roles["formgrader-access"]["groups"] == ["instructors"]
    assert "access:services!service=formgrader" in roles["formgrader-access"]["scopes"]
    assert "formgrader" in values()["hub"]["services"]
    # each account its own uid (the exchange's permissions); the right JupyterLab settings
    spawner_uid = c.KubeSpawner.uid
    uids = {spawner_uid(SimpleNamespace(user=SimpleNamespace(name=n))) for n in ("a", "b", "c")}
    assert len(uids) == 3 and all(uid >= 10000 for uid in uids)
    for group, expected in (("instructors", "jupyter/instructor"), ("students", "hub-student")):
        spawner = SimpleNamespace(environment={}, user=SimpleNamespace(
            name="x", groups=[SimpleNamespace(name=group)]))
        c.KubeSpawner.pre_spawn_hook(spawner)
        assert expected in spawner.environment["JUPYTER_CONFIG_PATH"]
        assert spawner.environment["NBGRADER_EXCHANGE"] == "/srv/nbgrader/exchange"
    for folder in ("jupyter/instructor", "jupyter/hub-student", "jupyter/student"):
        assert (ROOT / folder).is_dir()

    lti = hub_config(_merge(values(), values("values-lti13.yaml")))
    _known(LTI13Authenticator, dict(lti.LTI13Authenticator))
    assert JupyterHub(config=lti).authenticator_class is LTI13Authenticator


def test_the_deployment_keeps_limits_culler_and_exchange():
    doc = values()
    single = doc["singleuser"]
    assert single["memory"]["limit"] and single["cpu"]["limit"]
    assert doc["cull"]["enabled"] is True and doc["cull"]["timeout"] > 0
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    assert mounts["nbgrader-exchange"] == "/srv/nbgrader/exchange"
    [pvc, _job] = list(yaml.safe_load_all((DEPLOY / "exchange-pvc.yaml").read_text()))
    assert pvc["kind"] == "PersistentVolumeClaim"
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    kinds = [d["kind"] for d in yaml.safe_load_all((DEPLOY / "formgrader.yaml").read_text())]
    assert kinds == ["PersistentVolumeClaim", "Deployment", "Service"]
    hook = " ".join(single["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert ".course-copied" in hook and "/srv/repo/data" in hook
    # the notebooks at every start, merged with the student's work (studentcopy)
    assert "trafficking_course student-copy \"$HOME\" --source /srv/repo" in hook
