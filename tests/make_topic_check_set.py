"""Write tests/data/topic_check_set.csv: labelled headline-like Japanese texts for topic quality.

Nine categories in the style of a Japanese web-news portal (single women's
life, IT tips, home appliances, men's lifestyle, film, beauty, smartphones,
sport, general buzz). Each headline is built from one of many templates with
category vocabulary, shared filler words that every category uses (話題, 注目,
ネット ...) and, one time in three, a word borrowed from a neighbouring
category (監督 is film and sport, テレビ is appliances and buzz, スマホ is
smartphones and IT), so no single word separates the classes. Deterministic:
run ``python tests/make_topic_check_set.py`` to regenerate the same file.
"""

# ruff: noqa: SIM905  (word lists read best as space-separated text)
from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "topic_check_set.csv"
PER_CATEGORY = 100
# Difficulty knobs, set so that plain lemma TF-IDF + NMF scores an NMI near 0.2,
# as it does on real news headlines.
P_BORROW = 0.3  # the extra word comes from a neighbouring category
P_NOUN = 0.9  # the main noun is the category's (else a generic word)
P_PRED = 0.7  # the ending is the category's (else a generic ending)
GENERIC_POWER = 0.5

CATEGORIES: dict[str, dict[str, list[str]]] = {
    "独女": {
        "nouns": "婚活 結婚 恋愛 彼氏 独身女性 アラサー 女子会 合コン 元カレ 婚約 お見合い 結婚式 片思い 独女 "
        "デート 告白 プロポーズ 同棲 失恋 恋人 モテ 年下男子 既婚者 友人の結婚 親の干渉 一人暮らし 女友達 マッチングアプリ".split(),
        "extra": "本音 悩み 理想 条件 年齢 出会い 寂しさ 焦り 価値観 恋愛観 婚期 ため息 実家 週末 休日".split(),
        "preds": "に焦る独女たち|が語る本音|で失敗しないコツ|を遠ざける行動|に疲れた女性の声|の落とし穴|はアリかナシか|"
        "で見えた男の本性|がうまくいかない理由|を考える30代|に悩む女性が急増|の意外な結末|で幸せになれるのか|がつらいと感じる瞬間".split(
            "|"
        ),
    },
    "IT": {
        "nouns": "Windows Excel ショートカット クラウド パソコン セキュリティ ウイルス対策 ブラウザ USBメモリ "
        "外付けHDD 無線LAN ルーター Gmail 表計算 プレゼン資料 ファイル共有 バックアップ パスワード管理 フリーソフト "
        "キーボード マウス ノートPC タスク管理 テレワーク 仕事効率化 データ復旧 PDF編集".split(),
        "extra": "設定 便利技 時短 裏ワザ 無料 手順 機能 操作 作業 ビジネス 業務 画面 容量 速度 トラブル".split(),
        "preds": "を使いこなす方法|で作業効率が劇的にアップ|の便利な設定術|を無料で試す|が遅いときの対処法|で困らないための基本|"
        "を安全に使うには|の意外な活用術|が重くなる原因|をまとめて管理する|で仕事がはかどる|の新機能を徹底検証|に潜む危険".split(
            "|"
        ),
    },
    "家電": {
        "nouns": "冷蔵庫 洗濯機 掃除機 ロボット掃除機 炊飯器 エアコン 電子レンジ 空気清浄機 加湿器 液晶テレビ 4Kテレビ "
        "ドライヤー 電気ケトル デジカメ 一眼レフ ヘッドホン スピーカー 扇風機 ホットプレート コーヒーメーカー 電動歯ブラシ "
        "照明 ブルーレイレコーダー 除湿機 ミシン 体重計 IH調理器".split(),
        "extra": "新製品 省エネ 電気代 価格 店頭 家電量販店 メーカー 性能 デザイン 機能 冬 夏 季節 売れ筋 使い勝手".split(),
        "preds": "の新モデルが登場|を実際に使ってみた|がついに発売|の選び方をプロが伝授|で電気代を節約|が売れている理由|"
        "を比べてみた|の最新モデルを試す|が家事を変える|を買う前に知っておきたいこと|の人気ランキング|が値下がり".split(
            "|"
        ),
    },
    "男性": {
        "nouns": "ビジネスマン 年収 転職 出世 営業マン スーツ 腕時計 革靴 男の身だしなみ 上司との付き合い 飲み会 "
        "部下の育て方 昇進 サラリーマン 副業 ネクタイ 名刺交換 社会人 管理職 会社員 ビジネスバッグ 男の料理 "
        "メンズファッション 新入社員 リーダーシップ".split(),
        "extra": "仕事 会社 職場 キャリア 評価 給料 男性 できる男 大人 マナー 成功 結果 人脈 信頼 実力".split(),
        "preds": "で差がつく習慣|が知っておくべきマナー|で失敗する男の特徴|を上げるための条件|に必要な3つの力|"
        "で損をしないために|を成功させるコツ|がうまい人の共通点|で評価される男|にまつわる誤解|は何が違うのか|を変える一言".split(
            "|"
        ),
    },
    "映画": {
        "nouns": "新作映画 ハリウッド 映画監督 主演俳優 ヒロイン 興行収入 試写会 予告編 続編 アニメ映画 ホラー映画 "
        "アクション大作 舞台挨拶 原作小説 実写化 公開初日 映画祭 アカデミー賞 吹き替え 劇場版 ドキュメンタリー "
        "3D映画 シリーズ最新作 撮影現場 主題歌".split(),
        "extra": "公開 上映 監督 俳優 女優 スクリーン 全米 観客 ファン 作品 物語 撮影 シーン 話題作 配給".split(),
        "preds": "がついに日本公開|の特別映像が解禁|で涙する観客続出|に豪華キャストが集結|が全米興行収入1位に|"
        "の舞台裏に迫る|で見せた新たな一面|が映画祭で受賞|の公開日が決定|を語るインタビュー|に主演が決定|の予告編が話題に".split(
            "|"
        ),
    },
    "美容": {
        "nouns": "コスメ メイク スキンケア ダイエット ネイル ヘアアレンジ 美肌 化粧水 ファンデーション リップ アイシャドウ "
        "スイーツ カフェ ヨガ 美容液 香水 ボディケア 日焼け止め 小顔 むくみ 占い 女子力 春コーデ パンケーキ 美脚".split(),
        "extra": "かわいい 人気 新色 限定 季節 女子 春 秋 トレンド 簡単 おしゃれ 大人 プチプラ 話題 キレイ".split(),
        "preds": "で今すぐ可愛くなれる|の新作が登場|で叶える美しさ|がSNSで話題|を楽しむ女子が急増|で差がつく秘訣|"
        "の簡単テクニック|にハマる女子続出|でキレイを手に入れる|の人気ランキング|をプチプラでそろえる|が今年のトレンドに".split(
            "|"
        ),
    },
    "スマホ": {
        "nouns": "Android iPhone スマートフォン ドコモ au ソフトバンク Galaxy Xperia タブレット アプリ OSアップデート "
        "新機種 SIMフリー 格安SIM 料金プラン バッテリー 防水モデル 通信速度 LTE 発表会 ARROWS AQUOS 電子書籍 おサイフケータイ".split(),
        "extra": "端末 機種 発売 予約 発表 価格 対応 最新 ユーザー 通信 画面 カメラ 性能 スマホ 携帯".split(),
        "preds": "の発売日が決定|にアップデートが配信開始|の予約受付がスタート|を速攻レビュー|で使えるおすすめアプリ|"
        "の電池持ちを検証|が国内で発表|の不具合に対応|を購入する前に|の新料金プランを比較|の実機を試した|向けの新サービス".split(
            "|"
        ),
    },
    "スポーツ": {
        "nouns": "プロ野球 サッカー日本代表 Jリーグ 甲子園 メジャーリーグ 五輪 ワールドカップ なでしこ 巨人 阪神 "
        "エース 監督 ゴルフ 錦織 テニス 大相撲 横綱 マラソン 柔道 バレーボール フィギュア 本田 香川 ダルビッシュ イチロー".split(),
        "extra": "試合 選手 勝利 敗戦 優勝 開幕 移籍 ファン 解説 記録 代表 得点 引退 復帰 采配".split(),
        "preds": "がまさかの敗戦|の采配に批判殺到|で劇的な逆転勝利|が引退を表明|の移籍が決定|に辛口解説|"
        "が語った敗因|の活躍に絶賛の声|で優勝へ王手|に期待が高まる|の今季を占う|がまさかの不調".split(
            "|"
        ),
    },
    "話題": {
        "nouns": "芸能人 タレント アイドル 大物司会者 お笑い芸人 ネット掲示板 ツイッター ブログ 政治家 首相 "
        "テレビ番組 バラエティ 生放送 ワイドショー 週刊誌 スクープ 事件 騒動 炎上 謝罪会見 ネットユーザー "
        "2ちゃんねる 番組出演 朝の情報番組 有名人".split(),
        "extra": "発言 批判 物議 衝撃 非難 疑惑 ネット 話題 動画 コメント 視聴者 真相 告白 反響 波紋".split(),
        "preds": "の発言が物議を醸す|に批判が殺到|がネットで炎上|の真相が明らかに|を激白|に視聴者騒然|"
        "で衝撃の告白|が番組で暴露|に疑問の声|をめぐり大騒動|の態度に非難|が謝罪".split("|"),
    },
}

# Neighbouring categories share words in real news: borrow from these.
NEIGHBOURS = {
    "独女": ["美容", "男性"],
    "IT": ["スマホ", "家電"],
    "家電": ["IT", "話題"],
    "男性": ["独女", "IT"],
    "映画": ["話題", "スポーツ"],
    "美容": ["独女", "家電"],
    "スマホ": ["IT", "家電"],
    "スポーツ": ["話題", "映画"],
    "話題": ["映画", "スポーツ", "独女"],
}
# Words any section of a news portal uses.
GENERIC = (
    "話題 注目 最新 必見 今週 まとめ 人気 衝撃 ネット 驚き 意外 徹底 本当 理由 秘密 実態 真相 方法 今年 結果 "
    "日本 世界 女性 男性 若者 大人 子ども 家族 友人 会社 社会 時代 問題 原因 対策 変化 影響 効果 比較 調査 "
    "発表 登場 開始 決定 公開 発売 紹介 解説 検証 評価 反響 期待 不安 失敗 成功 挑戦 限定 無料 特集 新 "
    "春 夏 秋 冬 週末 年末 正月 朝 夜 東京 大阪 海外 全国 現場 専門家 ランキング 特徴 条件 本音 常識 基本"
).split()
SYLLABLES = (
    "ア カ サ タ ナ マ ラ リ ル ロ ミ ソ ケ ト ノ ハ ヒ フ ベ ド ジ ガ ズ パ ピ ン ー".split()
)
SURNAMES = "佐々木 高田 村上 石原 松井 今井 西村 原田 藤井 岡田 小川 中野 上田 森本 坂本 杉山 大塚 千葉".split()
GIVEN = "健太 美咲 翔 陽子 大輔 真央 拓也 由美 直樹 彩 亮 千尋".split()
TEMPLATES = [
    "{n}{p}",
    "【{g}】{n}{p}",
    "{n}の{x}{p}",
    "{g}の{n}、{x}{p}",
    "{q}{n}{p}？{g}の{x}",
    "「{q}」{n}{p}",
    "{q}の{g}、{x}{p}",
    "{x}にも{g}{p}",
    "{n}{p}【{g}】",
    "{num}つの{g}で{x}{p}",
    "なぜ{q}は{g}{p}のか",
    "{q}、{n}…{g}の{x}とは",
    "{g}と{g2}、{q}{p}",
    "{q}が{g}を語る",
]


def _zipf(rng: random.Random, items: list[str], power: float = 0.9) -> str:
    """Few words often, most words rarely, as in real headlines."""
    weights = [1 / (rank + 1) ** power for rank in range(len(items))]
    return rng.choices(items, weights=weights)[0]


def _generic(rng: random.Random) -> str:
    return _zipf(rng, GENERIC, GENERIC_POWER)


def _proper_noun(rng: random.Random) -> str:
    """A name that occurs once: a product, a film, a person."""
    if rng.random() < 0.5:
        return "".join(
            rng.choice(SYLLABLES[:-2]) + rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2))
        )
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def headlines(seed: int = 20240101) -> list[tuple[str, str]]:
    """``PER_CATEGORY`` distinct (text, label) pairs per category, in a shuffled order."""
    rng = random.Random(seed)
    order = {
        label: {key: rng.sample(v, len(v)) for key, v in words.items()}
        for label, words in CATEGORIES.items()
    }
    rows: list[tuple[str, str]] = []
    for label, words in order.items():
        seen: set[str] = set()
        while len(seen) < PER_CATEGORY:
            source = words
            if rng.random() < P_BORROW:  # a borrowed word makes the class less obvious
                source = order[rng.choice(NEIGHBOURS[label])]
            x = _zipf(rng, source["extra"] + source["nouns"])
            noun = _zipf(rng, words["nouns"]) if rng.random() < P_NOUN else _generic(rng)
            pred = (
                _zipf(rng, words["preds"])
                if rng.random() < P_PRED
                else _zipf(rng, GENERIC_PREDS, 0.5)
            )
            text = rng.choice(TEMPLATES).format(
                n=noun,
                x=x,
                p=pred,
                g=_generic(rng),
                g2=_generic(rng),
                q=_proper_noun(rng),
                num=rng.randint(2, 7),
            )
            if text not in seen:
                seen.add(text)
                rows.append((text, label))
    rng.shuffle(rows)
    return rows


# Endings that fit any headline.
GENERIC_PREDS = (
    "が話題に|に注目が集まる|の理由とは|が明らかに|に驚きの声|を調査|が急増中|の実態|を徹底解説|"
    "が人気の理由|に賛否|が決定|を発表|の真相|で話題沸騰|の意外な事実|に迫る|が止まらない|は本当か"
).split("|")


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(headlines())


if __name__ == "__main__":
    main()
