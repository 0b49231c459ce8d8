"""Names people and the API use: effect scenes (§2.6), lip-sync voices (§2.5), our camera presets."""

from __future__ import annotations

from ._effects import packaged_names

# --- effects (§2.6) ----------------------------------------------------------------------------------
# The scenes are data (effects.json, read by ._effects, which a user file can extend); these names are the
# packaged ones, for code that wants a fixed list (schemas, tests). Checks and prices read ._effects.
DUAL_IMAGE_EFFECTS = packaged_names(2)
# The 2025 two-person scenes with model_name/mode/duration inside ``input`` (retired 2026-01-30).
LEGACY_DUAL_EFFECTS = packaged_names(2, retired=True)
# A sample of single-image scenes; the service has ~190 and adds more, so unknown names pass.
SINGLE_IMAGE_EFFECTS = packaged_names(1)

# --- lip-sync voices (§2.5) ----------------------------------------------------------------------------
VOICES: dict[str, tuple[str, ...]] = {
    "en": (
        "genshin_vindi2",
        "zhinen_xuesheng",
        "AOT",
        "ai_shatang",
        "genshin_klee2",
        "genshin_kirara",
        "ai_kaiya",
        "oversea_male1",
        "ai_chenjiahao_712",
        "girlfriend_4_speech02",
        "chat1_female_new-3",
        "chat_0407_5-1",
        "cartoon-boy-07",
        "uk_boy1",
        "cartoon-girl-01",
        "PeppaPig_platform",
        "ai_huangzhong_712",
        "ai_huangyaoshi_712",
        "ai_laoguowang_712",
        "chengshu_jiejie",
        "you_pingjing",
        "calm_story1",
        "uk_man2",
        "laopopo_speech02",
        "heainainai_speech02",
        "reader_en_m-v1",
        "commercial_lady_en_f-v1",
    ),
    "zh": (
        "genshin_vindi2",
        "zhinen_xuesheng",
        "tiyuxi_xuedi",
        "ai_shatang",
        "genshin_klee2",
        "genshin_kirara",
        "ai_kaiya",
        "tiexin_nanyou",
        "ai_chenjiahao_712",
        "girlfriend_1_speech02",
        "chat1_female_new-3",
        "girlfriend_2_speech02",
        "cartoon-boy-07",
        "cartoon-girl-01",
        "ai_huangyaoshi_712",
        "you_pingjing",
        "ai_laoguowang_712",
        "chengshu_jiejie",
        "zhuxi_speech02",
        "uk_oldman3",
        "laopopo_speech02",
        "heainainai_speech02",
        "dongbeilaotie_speech02",
        "chongqingxiaohuo_speech02",
        "chuanmeizi_speech02",
        "chaoshandashu_speech02",
        "ai_taiwan_man2_speech02",
        "xianzhanggui_speech02",
        "tianjinjiejie_speech02",
        "diyinnansang_DB_CN_M_04-v2",
        "yizhipiannan-v1",
        "guanxiaofang-v2",
        "tianmeixuemei-v1",
        "daopianyansang-v1",
        "mengwa-v1",
    ),
}

# --- camera presets (ours, for people; each one is a configuration the API accepts) ------------------
# ``simple`` takes exactly one non-zero axis (§2.1), so a move that a person describes with two axes is
# mapped to its dominant one. Positive horizontal = camera moves right; positive vertical = camera moves up;
# positive zoom = camera pushes in.
CAMERA_PRESETS: dict[str, dict[str, object]] = {
    "zoom_in": {"type": "simple", "config": {"zoom": 5}},
    "zoom_out": {"type": "simple", "config": {"zoom": -5}},
    "pan_left": {"type": "simple", "config": {"horizontal": -5}},
    "pan_right": {"type": "simple", "config": {"horizontal": 5}},
    "tilt_up": {"type": "simple", "config": {"vertical": 5}},
    "tilt_down": {"type": "simple", "config": {"vertical": -5}},
    "roll_left": {"type": "simple", "config": {"roll": -5}},
    "roll_right": {"type": "simple", "config": {"roll": 5}},
    "swivel_left": {"type": "simple", "config": {"pan": -5}},
    "swivel_right": {"type": "simple", "config": {"pan": 5}},
    "dolly_forward": {"type": "simple", "config": {"zoom": 3}},
    "dolly_back": {"type": "simple", "config": {"zoom": -3}},
    "dramatic_push": {"type": "simple", "config": {"zoom": 8}},
    "epic_reveal": {"type": "simple", "config": {"zoom": -7}},
    "crane_up": {"type": "simple", "config": {"vertical": 6}},
    "crane_down": {"type": "simple", "config": {"vertical": -6}},
    "orbit_right": {"type": "simple", "config": {"horizontal": 6}},
    "orbit_left": {"type": "simple", "config": {"horizontal": -6}},
    "orbit_subject": {"type": "simple", "config": {"horizontal": 7}},
    "down_back": {"type": "down_back"},
    "forward_up": {"type": "forward_up"},
    "right_turn_forward": {"type": "right_turn_forward"},
    "left_turn_forward": {"type": "left_turn_forward"},
}
